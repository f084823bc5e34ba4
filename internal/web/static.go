package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// staticFS holds the CSS, the script, the favicon and the vendored ECharts.
//
//go:embed static
var staticFS embed.FS

// gzipped keeps the gzip form of the compressible static files, each
// compressed once, the first time a browser that accepts gzip asks for it
// (ECharts is 1 MB as it is, 340 kB gzipped).
type gzipped struct {
	mu    sync.Mutex
	files map[string]*gzFile
}

type gzFile struct {
	once sync.Once
	data []byte
}

// get returns the gzip form of name in fsys, or nil when it is not worth it.
func (g *gzipped) get(fsys fs.FS, name string) []byte {
	switch path.Ext(name) {
	case ".js", ".css", ".svg":
	default:
		return nil
	}
	if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
		return nil // only files that exist take a place in the map
	}
	g.mu.Lock()
	if g.files == nil {
		g.files = map[string]*gzFile{}
	}
	f, ok := g.files[name]
	if !ok {
		f = &gzFile{}
		g.files[name] = f
	}
	g.mu.Unlock()
	f.once.Do(func() {
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(raw); err == nil && zw.Close() == nil {
			f.data = buf.Bytes()
		}
	})
	return f.data
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// routeStatic serves /static/... and /favicon.ico from the embedded files,
// gzipped to browsers that accept it.
func (s *Server) routeStatic(r *gin.Engine) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	files := http.FileServer(http.FS(sub))
	r.GET("/static/*path", func(c *gin.Context) {
		name := c.Param("path")
		if !fs.ValidPath(strings.TrimPrefix(name, "/")) && name != "/" {
			s.notFound(c) // "/%ff" and the like name no file (the file server would answer 500)
			return
		}
		c.Header("Cache-Control", "public, max-age=86400")
		c.Header("Vary", "Accept-Encoding")
		if acceptsGzip(c.Request) && c.Request.Header.Get("Range") == "" {
			clean := strings.TrimPrefix(path.Clean(name), "/")
			if gz := s.gz.get(sub, clean); gz != nil {
				c.Header("Content-Encoding", "gzip")
				c.Data(http.StatusOK, mime.TypeByExtension(path.Ext(clean)), gz)
				return
			}
		}
		c.Request.URL.Path = name
		files.ServeHTTP(c.Writer, c.Request)
	})
	icon, err := fs.ReadFile(sub, "favicon.svg")
	if err != nil {
		panic(err)
	}
	r.GET("/favicon.ico", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Data(http.StatusOK, "image/svg+xml", icon)
	})
}
