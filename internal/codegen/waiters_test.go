package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadWaiterData(t *testing.T) waiterData {
	t.Helper()
	data, err := loadWaiters("../..")
	require.NoError(t, err)
	return data
}

// TestWaitersDataMatchesTheModel checks every waiter of waiters.json
// against the API description: operations, status paths, enumeration
// values, error codes and list filters.
func TestWaitersDataMatchesTheModel(t *testing.T) {
	data := loadWaiterData(t)
	want := map[string]map[string]string{
		"resourcemanager": {
			"AccountCreated": "GetAccount", "AccountPromoted": "GetAccount", "HandshakeAccepted": "GetHandshake",
			"ResourceGroupCreated": "GetResourceGroup", "AccountDeletionChecked": "GetAccountDeletionCheckResult",
			"AccountDeleted": "GetAccountDeletionStatus", "ResourceDirectoryEnabled": "GetResourceDirectory",
		},
		"resourcesharing": {
			"ResourceShareAssociated": "ListResourceShareAssociations", "ResourceShareDisassociated": "ListResourceShareAssociations",
			"ResourceShareActive": "ListResourceShares", "ResourceShareDeleted": "ListResourceShares",
		},
	}
	var pkgs []string
	for pkg := range data {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	assert.Equal(t, []string{"resourcemanager", "resourcesharing"}, pkgs)
	for pkg, names := range want {
		p := loadProduct(t, pkg)
		ws, err := p.buildWaiters(data[pkg])
		require.NoError(t, err, pkg)
		got := map[string]string{}
		for _, w := range ws {
			got[w.Name] = w.Op.Name
			assert.LessOrEqual(t, w.MinDelay, w.MaxDelay, w.Name)
			if w.Matcher != "present" {
				assert.NotEmpty(t, w.Success, w.Name)
			}
		}
		assert.Equal(t, names, got, pkg)
	}
}

func cloneSpec(t *testing.T, s *waiterSpec) *waiterSpec {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var c waiterSpec
	require.NoError(t, json.Unmarshal(b, &c))
	return &c
}

func findSpec(t *testing.T, data waiterData, pkg, name string) *waiterSpec {
	t.Helper()
	for _, s := range data[pkg] {
		if s.Name == name {
			return cloneSpec(t, s)
		}
	}
	t.Fatalf("%s: no waiter %s", pkg, name)
	return nil
}

// TestWaitersDataRejectsMistakes makes one mistake at a time in a copy of
// a real waiter; each must stop the generator with an error that says what
// is wrong.
func TestWaitersDataRejectsMistakes(t *testing.T) {
	data := loadWaiterData(t)
	products := map[string]*product{"resourcemanager": loadProduct(t, "resourcemanager"), "resourcesharing": loadProduct(t, "resourcesharing")}
	for _, tc := range []struct {
		name, pkg, waiter, want string
		mutate                  func(*waiterSpec)
	}{
		{"operation typo", "resourcemanager", "AccountCreated", `unknown operation "GetAcount"`,
			func(s *waiterSpec) { s.Operation = "GetAcount" }},
		{"polls a write", "resourcemanager", "AccountCreated", "not read-only",
			func(s *waiterSpec) { s.Operation = "CreateCloudAccount" }},
		{"after typo", "resourcemanager", "AccountCreated", `unknown operation "CreateCloudAcount"`,
			func(s *waiterSpec) { s.After = []string{"CreateCloudAcount"} }},
		{"no after", "resourcemanager", "AccountCreated", "after",
			func(s *waiterSpec) { s.After = nil }},
		{"success value typo", "resourcemanager", "AccountCreated", `"CreateSucess" is not a value of AccountStatus`,
			func(s *waiterSpec) { s.Success = []string{"CreateSucess"} }},
		{"failure value typo", "resourcemanager", "HandshakeAccepted", `"Rejected" is not a value of HandshakeStatus`,
			func(s *waiterSpec) { s.Failure = append(s.Failure, "Rejected") }},
		{"retry value typo", "resourcemanager", "ResourceGroupCreated", `"Pending" is not a value`,
			func(s *waiterSpec) { s.Retry = []string{"Pending"} }},
		{"value in two lists", "resourcemanager", "AccountDeleted", `"Deleting" is already listed in failure`,
			func(s *waiterSpec) { s.Failure = append(s.Failure, "Deleting") }},
		{"no success", "resourcemanager", "AccountDeleted", "success: no value",
			func(s *waiterSpec) { s.Success = nil }},
		{"status path typo", "resourcemanager", "AccountCreated", `no field "Statuss"`,
			func(s *waiterSpec) { s.Status = "Account.Statuss" }},
		{"status through a scalar", "resourcemanager", "AccountCreated", "is not a structure",
			func(s *waiterSpec) { s.Status = "RequestId.Status" }},
		{"status not an enumeration", "resourcemanager", "AccountCreated", "not a documented enumeration",
			func(s *waiterSpec) { s.Status = "Account.DisplayName" }},
		{"present on an enumeration", "resourcemanager", "ResourceDirectoryEnabled", "not a string field",
			func(s *waiterSpec) { s.Status = "ResourceDirectory.ControlPolicyStatus" }},
		{"present with values", "resourcemanager", "ResourceDirectoryEnabled", "takes no status values",
			func(s *waiterSpec) { s.Success = []string{"Enabled"} }},
		{"retry error typo", "resourcemanager", "AccountCreated", `"EntityNotExist.Account" is not a documented error code`,
			func(s *waiterSpec) { s.RetryErrors = []string{"EntityNotExist.Account"} }},
		{"matcher typo", "resourcemanager", "AccountCreated", `matcher: "values"`,
			func(s *waiterSpec) { s.Matcher = "values" }},
		{"list field on a value matcher", "resourcemanager", "AccountCreated", "are for the",
			func(s *waiterSpec) { s.Empty = "success" }},
		{"bad delay", "resourcemanager", "AccountCreated", "minDelay",
			func(s *waiterSpec) { s.MinDelay = "5 seconds" }},
		{"delays out of order", "resourcemanager", "AccountCreated", "below minDelay",
			func(s *waiterSpec) { s.MinDelay, s.MaxDelay = "10s", "5s" }},
		{"name not an identifier", "resourcemanager", "AccountCreated", "exported Go identifier",
			func(s *waiterSpec) { s.Name = "account-created" }},
		{"items typo", "resourcesharing", "ResourceShareAssociated", `no field "ResourceShareAssociation"`,
			func(s *waiterSpec) { s.Items = "ResourceShareAssociation" }},
		{"items not a list", "resourcesharing", "ResourceShareAssociated", "not a list of structures",
			func(s *waiterSpec) { s.Items = "NextToken" }},
		{"item status typo", "resourcesharing", "ResourceShareAssociated", `no field "Status"`,
			func(s *waiterSpec) { s.Status = "Status" }},
		{"ignore value typo", "resourcesharing", "ResourceShareAssociated", `"Dissociated" is not a value of AssociationStatus`,
			func(s *waiterSpec) { s.Ignore = []string{"Dissociated"} }},
		{"select item typo", "resourcesharing", "ResourceShareAssociated", `no field "EntityID"`,
			func(s *waiterSpec) { s.Select[2].Item = "EntityID" }},
		{"select request typo", "resourcesharing", "ResourceShareAssociated", `no parameter "ResourceShareId"`,
			func(s *waiterSpec) { s.Select[0].Request = "ResourceShareId" }},
		{"select types differ", "resourcesharing", "ResourceShareAssociated", "the item's field is",
			func(s *waiterSpec) { s.Select[1].Item = "EntityId" }},
		{"empty typo", "resourcesharing", "ResourceShareDeleted", `empty: "succes"`,
			func(s *waiterSpec) { s.Empty = "succes" }},
		{"allPages without tokens", "resourcemanager", "AccountCreated", "allPages",
			func(s *waiterSpec) { s.AllPages = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := findSpec(t, data, tc.pkg, tc.waiter)
			tc.mutate(s)
			_, err := products[tc.pkg].buildWaiters([]*waiterSpec{s})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	t.Run("duplicate name", func(t *testing.T) {
		s := findSpec(t, data, "resourcemanager", "AccountCreated")
		_, err := products["resourcemanager"].buildWaiters([]*waiterSpec{s, cloneSpec(t, s)})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "already")
	})
}

func TestWaitersJSONRejectsUnknownKeysAndProducts(t *testing.T) {
	_, err := parseWaiters([]byte(`{"resourcemanager":[{"name":"X","sucess":["OK"]}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sucess")
	_, err = parseWaiters([]byte(`{"resourcemanagr":[]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "resourcemanagr")
	data, err := parseWaiters([]byte(`{"resourcesharing":[]}`))
	require.NoError(t, err)
	assert.Empty(t, data["resourcesharing"])
}

// TestWaitersFilesAreCurrent regenerates waiters.go for both products and
// compares with the committed files.
func TestWaitersFilesAreCurrent(t *testing.T) {
	for _, pkg := range []string{"resourcemanager", "resourcesharing"} {
		dir := t.TempDir()
		require.NoError(t, loadProduct(t, pkg).emitWaiters("../..", dir))
		got, err := os.ReadFile(filepath.Join(dir, "waiters.go"))
		require.NoError(t, err)
		committed, err := os.ReadFile(filepath.Join("../..", pkg, "waiters.go"))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(got, committed), "%s/waiters.go is out of date: run go generate ./...", pkg)
	}
}

func TestWaiterHelpers(t *testing.T) {
	assert.Equal(t, "5 * time.Second", durationExpr(5e9))
	assert.Equal(t, "250 * time.Millisecond", durationExpr(250e6))
	assert.Equal(t, "time.Duration(1500)", durationExpr(1500))
	assert.Equal(t, "60s", humanDuration(60e9))
	assert.Equal(t, "a, b or c", orList([]string{"a", "b", "c"}))
	assert.Equal(t, "a and b", andList([]string{"a", "b"}))
	assert.Equal(t, "accountCreated", lowerFirst("AccountCreated"))
}
