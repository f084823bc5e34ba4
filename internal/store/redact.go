package store

import (
	"net/url"
	"regexp"
	"strings"
)

// RedactDSN returns dsn fit for a log line or an error message: the
// password of a URL DSN (postgres://user:secret@host/db) hidden by
// url.URL.Redacted, a password or sslpassword given as a query parameter
// hidden too, and the password of a key=value DSN
// (host=db password=secret, quoted or not) replaced. A SQLite path is
// returned as it is.
func RedactDSN(dsn string) string {
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "(unreadable DSN)" // it might hold a password where we cannot see it
		}
		q := u.Query()
		hidden := false
		for k := range q {
			if secretKey(k) {
				q.Set(k, "xxxxx")
				hidden = true
			}
		}
		if hidden {
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return keyValueSecret.ReplaceAllStringFunc(dsn, func(m string) string {
		k, _, _ := strings.Cut(m, "=")
		return strings.TrimSpace(k) + "=xxxxx"
	})
}

// secretKey reports whether a DSN parameter holds a secret.
func secretKey(k string) bool {
	k = strings.ToLower(strings.TrimSpace(k))
	return k == "password" || k == "sslpassword"
}

// keyValueSecret matches password=… in a libpq key=value DSN: the value
// runs to the next space, or is single-quoted with \' and \\ escapes.
var keyValueSecret = regexp.MustCompile(`(?i)\b(?:ssl)?password\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s]*)`)
