package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/apimodel"
)

func TestSingular(t *testing.T) {
	for in, want := range map[string]string{
		"Policies": "Policy", "RegionStatuses": "RegionStatus", "Resources": "Resource", "Tag": "Tag",
		"Accounts": "Account", "InvitationFailedDetails": "InvitationFailedDetail", "Address": "Address",
		"Status": "Status", "Analysis": "Analysis", "Boxes": "Box",
	} {
		assert.Equal(t, want, singular(in), in)
	}
}

func TestErrConstName(t *testing.T) {
	for in, want := range map[string]string{
		"InvitationStatus.Expired":                          "ErrInvitationStatusExpired",
		"MissingParameter.ResourceShareInvitationId":        "ErrMissingParameterResourceShareInvitationId",
		"InvalidParameter.Account.DisplayName.Length":       "ErrInvalidParameterAccountDisplayNameLength",
		"Throttling.User":                                   "ErrThrottlingUser",
		"InvalidAccessKeyId.NotFound":                       "ErrInvalidAccessKeyIdNotFound",
		"Forbidden.RAM":                                     "ErrForbiddenRAM",
		"invalid.lower-case_code":                           "ErrInvalidLowerCaseCode",
		"NotSupport.PayerAccountInAnotherResourceDirectory": "ErrNotSupportPayerAccountInAnotherResourceDirectory",
	} {
		assert.Equal(t, want, errConstName(in), in)
	}
}

func TestEnumConstSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"Pending": "Pending", "non_resell": "NonResell", "IN_PROGRESS": "InProgress", "zh-CN": "ZhCN",
		"0": "0", "RAM": "RAM", "SUCCESS": "Success", "WAIT_MODIFY": "WaitModify", "Partial_Enable": "PartialEnable", "resourcegroup": "Resourcegroup",
	} {
		assert.Equal(t, want, enumConstSuffix(in), in)
	}
}

func TestSummary(t *testing.T) {
	assert.Equal(t, "ListResourceShareInvitations lists resource share invitations.", summary("ListResourceShareInvitations"))
	assert.Equal(t, "GetAccount returns the account.", summary("GetAccount"))
	assert.Equal(t, "AcceptResourceShareInvitation accepts resource share invitation.", summary("AcceptResourceShareInvitation"))
}

func loadProduct(t *testing.T, pkg string) *product {
	t.Helper()
	common, err := apimodel.LoadCommonErrors()
	require.NoError(t, err)
	p, err := buildProduct("../..", pkg, common)
	require.NoError(t, err)
	return p
}

func TestEveryOperationIsGenerated(t *testing.T) {
	for pkg, n := range map[string]int{"resourcesharing": 25, "resourcemanager": 114} {
		p := loadProduct(t, pkg)
		assert.Len(t, p.Ops, n, pkg)
	}
}

func TestTypesAreDeduplicatedByShape(t *testing.T) {
	for _, pkg := range []string{"resourcesharing", "resourcemanager"} {
		p := loadProduct(t, pkg)
		sigs := map[string]string{}
		names := map[string]bool{}
		for _, st := range p.Types {
			other, dup := sigs[st.sig]
			assert.False(t, dup, "%s: %s and %s have the same shape", pkg, st.Name, other)
			sigs[st.sig] = st.Name
			assert.False(t, names[st.Name], "%s: two types named %s", pkg, st.Name)
			names[st.Name] = true
		}
	}
	rs := loadProduct(t, "resourcesharing")
	uses := map[string]int{}
	for _, st := range rs.Types {
		uses[st.Name] = st.uses
	}
	// One invitation type serves both list replies; the Tag pair is shared
	// by requests and replies.
	assert.GreaterOrEqual(t, uses["ResourceShareInvitation"], 1)
	assert.GreaterOrEqual(t, uses["InvitationFailedDetail"], 2, "Accept and List share the failure detail shape")
}

func TestEntityIsOneTypeForEveryPlace(t *testing.T) {
	rs := loadProduct(t, "resourcesharing")
	byName := map[string]*structType{}
	for _, st := range rs.Types {
		byName[st.Name] = st
	}
	require.Contains(t, byName, "ResourceShareInvitation")
	inv := byName["ResourceShareInvitation"]
	assert.Equal(t, []string{"AcceptResourceShareInvitation", "ListResourceShareInvitations", "RejectResourceShareInvitation"}, inv.ops)
	// The union keeps the failure details of both the Accept reply and the list.
	var fields []string
	for _, f := range inv.Fields {
		fields = append(fields, f.Name)
	}
	assert.Contains(t, fields, "AcceptInvitationFailedDetails")
	assert.Contains(t, fields, "InvitationFailedDetails")
	assert.NotContains(t, byName, "AcceptResourceShareInvitationResourceShareInvitation")
}

// entityCase builds a product with changed entity decisions.
func entityCase(t *testing.T, pkg string, change func(*entityData)) error {
	t.Helper()
	m, err := apimodel.Load(pkg)
	require.NoError(t, err)
	errs, err := apimodel.LoadErrors(pkg)
	require.NoError(t, err)
	names, err := loadNames("", pkg)
	require.NoError(t, err)
	ents, err := loadEntities(pkg)
	require.NoError(t, err)
	common, err := apimodel.LoadCommonErrors()
	require.NoError(t, err)
	change(&ents)
	_, err = buildProductWith(pkg, m, errs, names, ents, common)
	return err
}

func TestEntityDataMustMatchTheModel(t *testing.T) {
	tests := []struct {
		name   string
		change func(*entityData)
		want   string
	}{
		{"unassigned near-duplicate", func(d *entityData) {
			e := d.Entities["Account"]
			e.Places = slices.DeleteFunc(slices.Clone(e.Places), func(s string) bool { return s == "GetAccount<Account" })
		}, "named like entity Account"},
		{"stale place", func(d *entityData) {
			e := d.Entities["Folder"]
			e.Places = append(slices.Clone(e.Places), "NoSuchOperation<Folder")
		}, "NoSuchOperation<Folder is not an object in the model"},
		{"unresolved type conflict", func(d *entityData) {
			e := d.Entities["Account"]
			r := maps.Clone(e.Resolve)
			delete(r, "Status")
			e.Resolve = r
		}, "Account.Status has the types"},
		{"resolution of a field that agrees", func(d *entityData) {
			e := d.Entities["Folder"]
			e.Resolve = map[string]string{"FolderName": "string"}
		}, "resolves FolderName, whose type does not differ"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Entity specs are pointers: copy the ones a case changes.
			err := entityCase(t, "resourcemanager", func(d *entityData) {
				ents := map[string]*entitySpec{}
				for k, v := range d.Entities {
					c := *v
					ents[k] = &c
				}
				d.Entities = ents
				tc.change(d)
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	require.NoError(t, entityCase(t, "resourcemanager", func(*entityData) {}))
}

func TestListWrappersAreSlices(t *testing.T) {
	rm := loadProduct(t, "resourcemanager")
	for _, st := range rm.Types {
		if len(st.Fields) == 1 && st.Fields[0].Kind == kList && st.Response && !st.Request {
			t.Errorf("%s wraps one list", st.Name)
		}
	}
	for _, oi := range rm.Ops {
		if oi.Name != "ListAccounts" {
			continue
		}
		for _, f := range oi.Resp {
			if f.Name == "Accounts" {
				assert.Equal(t, "[]Account", goType(f))
				assert.Equal(t, "Account", f.Wrapper)
			}
		}
		assert.Equal(t, "p.Accounts", oi.Page.ItemsExpr)
	}
}

func TestShrinkParameterIsAJSONList(t *testing.T) {
	rm := loadProduct(t, "resourcemanager")
	for _, oi := range rm.Ops {
		if oi.Name != "DeleteAccount" {
			continue
		}
		for _, f := range oi.Req {
			if f.Name == "AbandonableCheckId" {
				assert.True(t, f.Shrink)
				assert.Equal(t, "alicloud.JSONList[string]", goType(f))
				want := map[string][]string{}
				sampleRequest(f, f.Name, want)
				assert.Equal(t, []string{`["v-AbandonableCheckId-1","v-AbandonableCheckId-2"]`}, want["AbandonableCheckId"])
				return
			}
		}
	}
	t.Fatal("DeleteAccount.AbandonableCheckId not found")
}

func TestOptionalBooleansArePointersOnlyWhenFalseIsMeaningful(t *testing.T) {
	rs := loadProduct(t, "resourcesharing")
	kinds := map[string]string{}
	for _, oi := range rs.Ops {
		for _, f := range oi.Req {
			if f.Kind == kBool {
				kinds[oi.Name+"."+f.Name] = goType(f)
			}
		}
	}
	assert.Equal(t, "bool", kinds["CreateResourceShare.AllowExternalTargets"], "defaults to false")
	assert.Equal(t, "*bool", kinds["UpdateResourceShare.AllowExternalTargets"], "false turns the setting off")
}

// TestGenerationIsDeterministicAndCurrent regenerates into a temporary tree
// twice and compares with the committed files.
func TestGenerationIsDeterministicAndCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates every file")
	}
	gen := func() string {
		dir := t.TempDir()
		for _, sub := range []string{"resourcesharing", "resourcemanager"} {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, sub), 0o755))
		}
		require.NoError(t, run(dir))
		return dir
	}
	a, b := gen(), gen()
	files, err := filepath.Glob(filepath.Join(a, "*", "*.go"))
	require.NoError(t, err)
	root, err := filepath.Glob(filepath.Join(a, "*.go"))
	require.NoError(t, err)
	files = append(files, root...)
	require.Greater(t, len(files), 140)
	for _, f := range files {
		rel, _ := filepath.Rel(a, f)
		x, err := os.ReadFile(f)
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, rel))
		require.NoError(t, err)
		require.True(t, bytes.Equal(x, y), "%s differs between two runs", rel)
		committed, err := os.ReadFile(filepath.Join("../..", rel))
		require.NoError(t, err, "%s is generated but not committed", rel)
		require.True(t, bytes.Equal(x, committed), "%s is out of date: run go generate ./...", rel)
	}
}
