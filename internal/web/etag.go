package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// notModified sets an ETag keyed by the data version, the language, the URL,
// the cookies or token (a page may name who is signed in) and the server's
// start (a new binary may write the same data differently), and answers 304
// when the browser already holds that version.
func (s *Server) notModified(c *gin.Context) bool {
	v, err := s.store.DataVersion(c.Request.Context())
	if err != nil {
		return false
	}
	c.Request = c.Request.WithContext(withDataVersion(c.Request.Context(), v))
	h := sha256.Sum256([]byte(strconv.FormatInt(v, 10) + "\x00" + string(lang(c)) + "\x00" + c.Request.URL.Path + "?" + c.Request.URL.RawQuery + "\x00" + c.GetHeader("Cookie") + "\x00" + c.GetHeader("Authorization") + "\x00" + s.boot + "\x00" + s.today()))
	tag := `W/"` + hex.EncodeToString(h[:12]) + `"`
	c.Header("ETag", tag)
	c.Header("Cache-Control", "private, no-cache") // signed-in pages carry the user's name and CSRF token
	if inm := c.GetHeader("If-None-Match"); inm != "" && inm == tag {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return true
	}
	return false
}

func itoa(i int) string { return strconv.Itoa(i) }
