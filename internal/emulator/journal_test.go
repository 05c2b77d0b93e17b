package emulator

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorded returns a recording Service that has created two folders, and
// its state document.
func recorded(t *testing.T) (*Service, []byte) {
	t.Helper()
	s := newTestService(t, Config{})
	s.Record()
	for _, name := range []string{"a", "b"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "CreateFolder", url.Values{"FolderName": {name}}))
		require.Equal(t, 200, rec.Code, rec.Body.String())
	}
	var doc bytes.Buffer
	require.NoError(t, s.DumpState(&doc))
	return s, doc.Bytes()
}

func TestStateReplayChecksEveryOutcome(t *testing.T) {
	_, doc := recorded(t)
	lines := strings.Split(strings.TrimSuffix(string(doc), "\n"), "\n")
	require.Len(t, lines, 3, "the header and two calls")
	assert.NotContains(t, string(doc), "Signature")

	fresh := newTestService(t, Config{})
	fresh.Record()
	require.NoError(t, fresh.LoadState(doc))

	// An outcome this emulator does not reproduce is refused, and the state
	// stays as it was.
	tampered := strings.Replace(string(doc), `"action":"CreateFolder"`, `"action":"CreateFolder","result":"QuotaExceeded.Folder.Count"`, 1)
	other := newTestService(t, Config{})
	other.Record()
	before := other.ResourceDirectoryID()
	err := other.LoadState([]byte(tampered))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 2 (CreateFolder)")
	assert.Contains(t, err.Error(), "behaves differently")
	assert.Equal(t, before, other.ResourceDirectoryID())
}

func TestStateFileDropsAnUnfinishedLastLine(t *testing.T) {
	_, doc := recorded(t)
	path := filepath.Join(t.TempDir(), "state")
	cut := string(doc) + `{"at":"2026-12-03T10:00:00Z","kind":"call","vers`
	require.NoError(t, os.WriteFile(path, []byte(cut), 0o600))
	s := newTestService(t, Config{})
	require.NoError(t, s.OpenStateFile(path))
	defer s.CloseStateFile()
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(doc), string(got), "the file is written again without the cut line")

	// And a write after it lands on its own line.
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "CreateFolder", url.Values{"FolderName": {"c"}}))
	require.Equal(t, 200, rec.Code, rec.Body.String())
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(string(got), "\n"))
}

func TestStateFileUnwritableRefusesCalls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	s := newTestService(t, Config{})
	require.NoError(t, s.OpenStateFile(path))
	// The file goes away under the emulator: the next write cannot be
	// made durable, so it is not acknowledged, nor is anything after it.
	require.NoError(t, s.jr.file.Close())
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "CreateFolder", url.Values{"FolderName": {"x"}}))
	assert.Equal(t, 500, rec.Code)
	assert.Contains(t, rec.Body.String(), "cannot write its state file")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "ListAccounts", nil))
	assert.Equal(t, 500, rec.Code)
}
