package apicheck

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite api/v0.txt with the current exported API")

const record = "../../api/v0.txt"

// TestExportedAPIIsRecorded fails when the public surface differs from the
// committed record: a change of the API must update api/v0.txt (go test
// ./internal/apicheck -update) in the same commit, where review sees it.
func TestExportedAPIIsRecorded(t *testing.T) {
	got, err := Listing("../..", "github.com/resourcekit/alicloud")
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile(record, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(record)
	require.NoError(t, err, "no API record; run go test ./internal/apicheck -update")
	if string(want) != got {
		t.Errorf("the exported API differs from %s; if the change is deliberate, run go test ./internal/apicheck -update and commit the file.\n%s",
			record, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only one side has, which is what a reviewer of a
// sorted listing needs.
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

func TestListingSeesTheSurface(t *testing.T) {
	dir := t.TempDir()
	src := `package p

// T is exported.
type T struct {
	A int ` + "`url:\"A\"`" + `
	b int

	// D is old.
	//
	// Deprecated: use A.
	D string
}

type hidden struct{ C int }

const (
	X T2 = "x"
	Y    = "y"
)

type T2 string

func (T) M(n int) error { return nil }
func (hidden) N() {}
func F[K comparable](k K) K { return k }
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "internal", "q"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "internal", "q", "q.go"), []byte("package q\nfunc Q() {}\n"), 0o644))
	got, err := Listing(dir, "example.com/p")
	require.NoError(t, err)
	assert.Equal(t, strings.Join([]string{
		"example.com/p: const X T2 = \"x\"",
		"example.com/p: const Y = \"y\"",
		"example.com/p: field T.A int `url:\"A\"`",
		"example.com/p: field T.D string // Deprecated",
		"example.com/p: func F[K comparable](k K) K",
		"example.com/p: method (T) M(n int) error",
		"example.com/p: type T struct",
		"example.com/p: type T2 string",
	}, "\n")+"\n", got)
}
