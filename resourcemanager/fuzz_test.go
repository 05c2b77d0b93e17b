package resourcemanager_test

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	rm "github.com/resourcekit/alicloud/resourcemanager"
)

const fzListAccounts = `{"PageSize":5,"RequestId":"7B8A4E7D-6CFF-471D-84DF-195A7A241ECB","PageNumber":1,"TotalCount":2,
"Accounts":{"Account":[{"Status":"CreateSuccess","Type":"ResourceAccount","DisplayName":"admin","FolderId":"fd-bVaRIG****",
"ResourceDirectoryId":"rd-k3****","JoinTime":"2015-01-23T12:33:18Z","AccountId":"12323344****","JoinMethod":"created",
"ModifyTime":"2015-01-23T12:33:18Z","ResourceDirectoryPath":"r-f0****/fd-bVaRIG****/12323344****",
"Tags":{"Tag":[{"Key":"tag_key","Value":"tag_value"}]}}]}}`

type fzAccountsRef struct {
	RequestId                        string
	PageNumber, PageSize, TotalCount int32
	Accounts                         struct {
		Account []struct {
			AccountId, DisplayName, FolderId, JoinMethod, Status, Type string
			ResourceDirectoryId, ResourceDirectoryPath                 string
			JoinTime, ModifyTime                                       time.Time
			Tags                                                       struct {
				Tag []struct{ Key, Value string }
			}
		}
	}
}

// FuzzListAccountsResponse: UnmarshalJSON never panics, accepts only valid
// JSON, decodes the same way twice, and round-trips the strings, numbers
// (sent as numbers or as strings) and times of a json.Marshal document.
func FuzzListAccountsResponse(f *testing.F) {
	seeds := []string{
		fzListAccounts,
		`{}`, `null`, `[]`, ``, `{"Accounts":null}`, `{"Accounts":{"Account":null}}`,
		`{"PageNumber":"3","PageSize":"1e1","TotalCount":2.0}`,
		`{"PageNumber":2147483648}`, `{"PageNumber":-1.5}`, `{"TotalCount":"many"}`,
		`{"Accounts":{"Account":[{"JoinTime":1422016398000,"ModifyTime":"2015-01-23 12:33:18"}]}}`,
		`{"Accounts":{"Account":[{"Tags":{"Tag":[{"Key":1,"Value":true}]}}]}}`,
		`{"Accounts":{"Account":{"AccountId":"not an array"}}}`,
		"{\"RequestId\":\"\xc0\xaf\"}",
		`{"Accounts":` + strings.Repeat(`{"Account":`, 300) + `null` + strings.Repeat(`}`, 300) + `}`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), "7B8A4E7D", "12323344****", "admin \u00e9", "tag_key", int32(i), int32(100), int32(-7), int64(1422016398+i), false)
	}
	f.Add([]byte(`{"a":`), "\xff", "", "\"\\\x01", "\U0001F600", int32(-2147483648), int32(2147483647), int32(0), int64(253402300799), true)
	f.Fuzz(func(t *testing.T, data []byte, requestID, accountID, name, tagKey string, page, size, total int32, sec int64, quoted bool) {
		var a rm.ListAccountsResponse
		errA := a.UnmarshalJSON(data)
		if errA == nil {
			require.True(t, json.Valid(data), "accepted invalid JSON %q", data)
		}
		b := a
		errB := b.UnmarshalJSON(data)
		require.Equal(t, errA == nil, errB == nil)
		if errA == nil {
			require.True(t, reflect.DeepEqual(a, b), "decoding twice differs for %q", data)
		}

		const minSec, maxSec = -62135596800, 253402300799
		span := int64(maxSec - minSec + 1)
		sec = minSec + ((sec%span)+span)%span
		joined := time.Unix(sec, 0).UTC()
		num := func(n int32) any {
			if quoted {
				return strconv.Itoa(int(n)) // the services sometimes quote numbers
			}
			return n
		}
		doc := map[string]any{
			"RequestId":  requestID,
			"PageNumber": num(page),
			"PageSize":   num(size),
			"TotalCount": num(total),
			"Accounts": map[string]any{"Account": []any{
				map[string]any{
					"AccountId":             accountID,
					"DisplayName":           name,
					"FolderId":              tagKey,
					"JoinMethod":            "created",
					"Status":                name + accountID,
					"Type":                  "ResourceAccount",
					"ResourceDirectoryId":   requestID,
					"ResourceDirectoryPath": accountID + "/" + name,
					"JoinTime":              joined,
					"ModifyTime":            joined.Add(time.Second),
					"Tags":                  map[string]any{"Tag": []any{map[string]any{"Key": tagKey, "Value": name}}},
					"Extra":                 []any{nil, true, map[string]any{}},
				},
			}},
		}
		body, err := json.Marshal(doc)
		require.NoError(t, err)
		if quoted {
			// encoding/json does not read quoted numbers into int32: build
			// the reference from an unquoted copy.
			doc["PageNumber"], doc["PageSize"], doc["TotalCount"] = page, size, total
		}
		refBody, err := json.Marshal(doc)
		require.NoError(t, err)
		var ref fzAccountsRef
		require.NoError(t, json.Unmarshal(refBody, &ref))

		var got rm.ListAccountsResponse
		require.NoError(t, got.UnmarshalJSON(body), "%s", body)
		require.Equal(t, ref.RequestId, got.RequestId)
		require.Equal(t, page, got.PageNumber)
		require.Equal(t, size, got.PageSize)
		require.Equal(t, total, got.TotalCount)
		require.Len(t, got.Accounts, 1)
		acc, want := got.Accounts[0], ref.Accounts.Account[0]
		require.Equal(t, want.AccountId, acc.AccountId)
		require.Equal(t, want.DisplayName, acc.DisplayName)
		require.Equal(t, want.FolderId, acc.FolderId)
		require.Equal(t, want.Status, string(acc.Status))
		require.Equal(t, want.ResourceDirectoryId, acc.ResourceDirectoryId)
		require.Equal(t, want.ResourceDirectoryPath, acc.ResourceDirectoryPath)
		require.True(t, joined.Equal(acc.JoinTime), "JoinTime %v decoded as %v", joined, acc.JoinTime)
		require.True(t, joined.Add(time.Second).Equal(acc.ModifyTime))
		require.Len(t, acc.Tags, 1)
		require.Equal(t, want.Tags.Tag[0].Key, acc.Tags[0].Key)
		require.Equal(t, want.Tags.Tag[0].Value, acc.Tags[0].Value)
	})
}
