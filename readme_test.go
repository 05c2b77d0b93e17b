package alicloud_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The README is the first code a user copies, so every Go block in it must
// compile against the module as it is and be gofmt-clean. Each block
// becomes one file of a throwaway program that imports this module through
// a replace directive: statements go into a function with the few
// variables the prose assumes (readmePreamble); a block that declares
// functions or types stays at file level. Compile errors point at README.md
// lines through //line directives.

// readmePreamble declares what the README's blocks take for granted.
const readmePreamble = `package main

import (
	"context"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

var (
	ctx     = context.Background()
	cfg     alicloud.Config
	rs      *resourcesharing.Client
	rm      *resourcemanager.Client
	shareID string
	metrics interface {
		Observe(action string, status int, latency time.Duration)
	}
)

// onboard stands for the reader's own code.
func onboard(context.Context, *resourcesharing.Client, *resourcemanager.Client) error { return nil }

func main() {}
`

// readmeImports are the packages a block may name; a block imports those
// it uses.
var readmeImports = map[string]string{
	"alicloud":        "github.com/resourcekit/alicloud",
	"alicloudtest":    "github.com/resourcekit/alicloud/alicloudtest",
	"resourcemanager": "github.com/resourcekit/alicloud/resourcemanager",
	"resourcesharing": "github.com/resourcekit/alicloud/resourcesharing",
	"context":         "context",
	"errors":          "errors",
	"fmt":             "fmt",
	"http":            "net/http",
	"log":             "log",
	"os":              "os",
	"slog":            "log/slog",
	"testing":         "testing",
	"time":            "time",
}

type readmeBlock struct {
	line int // README line of the block's first code line
	code string
}

func readmeGoBlocks(t *testing.T, path string) []readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var (
		blocks []readmeBlock
		cur    *readmeBlock
		buf    strings.Builder
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.TrimSpace(line) == "```go":
			cur = &readmeBlock{line: n + 1}
			buf.Reset()
		case cur != nil && strings.TrimSpace(line) == "```":
			cur.code = buf.String()
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "README.md ends inside a code block")
	return blocks
}

var topLevelDecl = regexp.MustCompile(`(?m)^(func|type|var|const) `)

// readmeFile turns one block into a Go file, and says where in that file
// the block's own lines are.
func readmeFile(b readmeBlock, i int) (src string, fileLevel bool) {
	var imports []string
	code := withoutComments(b.code)
	for name, path := range readmeImports {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(code) {
			imports = append(imports, fmt.Sprintf("%q", path))
		}
	}
	sort.Strings(imports)
	var s strings.Builder
	s.WriteString("package main\n\n")
	if len(imports) > 0 {
		s.WriteString("import (\n\t" + strings.Join(imports, "\n\t") + "\n)\n\n")
	}
	fileLevel = topLevelDecl.MatchString(b.code)
	if fileLevel {
		fmt.Fprintf(&s, "//line README.md:%d\n%s", b.line, b.code)
		return s.String(), true
	}
	fmt.Fprintf(&s, "func readmeBlock%02d() error {\n//line README.md:%d\n", i, b.line)
	for _, l := range strings.SplitAfter(b.code, "\n") {
		if l != "" {
			s.WriteString("\t" + l)
		}
	}
	if !endsInReturn(b.code) {
		s.WriteString("\treturn nil\n")
	}
	s.WriteString("}\n")
	return s.String(), false
}

// endsInReturn reports whether a block's last statement is a return at its
// top level, after which the wrapper must not add its own.
func endsInReturn(code string) bool {
	lines := strings.Split(strings.TrimRight(withoutComments(code), " \t\n"), "\n")
	return strings.HasPrefix(lines[len(lines)-1], "return ")
}

// withoutComments drops line comments, so a package named only in a
// comment is not imported.
func withoutComments(code string) string {
	var b strings.Builder
	for _, line := range strings.Split(code, "\n") {
		var quote rune
		cut := len(line)
		for i, r := range line {
			switch {
			case quote != 0:
				if r == quote && (quote == '`' || i == 0 || line[i-1] != '\\') {
					quote = 0
				}
			case r == '"' || r == '`' || r == '\'':
				quote = r
			case r == '/' && strings.HasPrefix(line[i:], "//"):
				cut = i
			}
			if cut < len(line) {
				break
			}
		}
		b.WriteString(line[:cut])
		b.WriteByte('\n')
	}
	return b.String()
}

// readmeGofmt reports whether the block is formatted as gofmt would.
func readmeGofmt(b readmeBlock, src string, fileLevel bool) (string, bool) {
	out, err := format.Source([]byte(src))
	if err != nil {
		return "", false
	}
	lines := strings.Split(string(out), "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "//line README.md:") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", false
	}
	body := lines[start:]
	if !fileLevel {
		// Drop the closing "return nil" and "}" and the function's indent.
		trailer := 3
		if endsInReturn(b.code) {
			trailer = 2
		}
		body = body[:len(body)-trailer]
		for i, l := range body {
			body[i] = strings.TrimPrefix(l, "\t")
		}
	} else {
		body = body[:len(body)-1]
	}
	want := strings.Join(body, "\n") + "\n"
	return want, want == b.code
}

func TestREADMEGoBlocksCompileAndAreFormatted(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a program with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs(".")
	require.NoError(t, err)
	blocks := readmeGoBlocks(t, filepath.Join(root, "README.md"))
	require.NotEmpty(t, blocks)

	dir := t.TempDir()
	modFile, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	// The module's own requirements keep the program's build list the
	// module's, so it builds from the module cache alone.
	requires := regexp.MustCompile(`(?ms)^require \(.*?^\)`).FindAllString(string(modFile), -1)
	gomod := "module readmeblocks\n\ngo 1.24\n\nrequire github.com/resourcekit/alicloud v0.0.0\n\n" +
		strings.Join(requires, "\n") + "\n\nreplace github.com/resourcekit/alicloud => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o600))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "preamble.go"), []byte(readmePreamble), 0o600))

	for i, b := range blocks {
		src, fileLevel := readmeFile(b, i)
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("block%02d.go", i)), []byte(src), 0o600))
		if want, ok := readmeGofmt(b, src, fileLevel); !ok {
			t.Errorf("README.md:%d: the Go block is not gofmt-clean; gofmt makes it:\n%s", b.line, want)
		}
	}

	// Build first: the compiler lists every error, vet stops at the first.
	cmd := exec.Command(goCmd, "build", "-gcflags=-e", "-o", os.DevNull, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("README.md's Go blocks do not compile (%v):\n%s", err, out)
	}
	cmd = exec.Command(goCmd, "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("README.md's Go blocks do not compile (%v):\n%s", err, out.String())
	}
}
