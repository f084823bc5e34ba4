package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// staticFS holds the CSS, the script, the favicon and the vendored ECharts.
//
//go:embed static
var staticFS embed.FS

// routeStatic serves /static/... and /favicon.ico from the embedded files.
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
