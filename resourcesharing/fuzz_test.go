package resourcesharing_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	rs "github.com/resourcekit/alicloud/resourcesharing"
)

const fzListInvitations = `{"NextToken":"TGlzdFJlc291cm****","RequestId":"30EC8328-1BDE-51D5-BFAB-039508BD91A1",
"ResourceShareInvitations":[{"Status":"Pending","CreateTime":"2022-08-18T05:36:45.024Z","ResourceShareId":"rs-ysGRci9z****",
"ResourceShareName":"example","SenderAccountId":"151266687691****","ReceiverAccountId":"134254031178****",
"ResourceShareInvitationId":"i-p6eRytrkjVvM****","InvitationFailedDetails":[{"Status":"None","StatusMessage":"None",
"AssociateType":"None","ResourceArn":"acs:vpc:cn-shanghai:103755469187****:vswitch/vsw-uf62b11ue4m8oz2di****",
"ResourceType":"Snapshot","FailureReason":"Unavailable","FailureDescription":"You cannot access the specified resource at this time.",
"OperationType":"Associate","ResourceId":"s-7xvh46nx5oqlre0wv***"}]}]}`

// fzInvitationsRef is what encoding/json makes of the same document: the
// reference for strings after json.Marshal has repaired invalid UTF-8.
type fzInvitationsRef struct {
	NextToken                string
	RequestId                string
	ResourceShareInvitations []struct {
		CreateTime                time.Time
		ResourceShareId           string
		ResourceShareInvitationId string
		ResourceShareName         string
		SenderAccountId           string
		ReceiverAccountId         string
		Status                    string
		InvitationFailedDetails   []struct {
			ResourceArn        string
			FailureDescription string
			FailureReason      string
		}
	}
}

// FuzzListResourceShareInvitationsResponse: UnmarshalJSON never panics on
// arbitrary bytes, accepts only valid JSON, decodes the same way twice, and
// gives back every string (and the time) of a document built by
// json.Marshal from random field values.
func FuzzListResourceShareInvitationsResponse(f *testing.F) {
	seeds := []string{
		fzListInvitations,
		`{}`, `null`, `[]`, `""`, ``, `{"RequestId":123,"NextToken":true}`,
		`{"RequestId":"a","RequestId":"b","ResourceShareInvitations":[{}],"ResourceShareInvitations":[{},{}]}`,
		"{\"RequestId\":\"\xff\xfe\",\"NextToken\":\"\\ud800\"}",
		`{"ResourceShareInvitations":[{"ResourceShareId":{"x":1}}]}`,
		`{"ResourceShareInvitations":[{"CreateTime":"2022-08-18 05:36:45"},{"CreateTime":1660800000000},{"CreateTime":"yesterday"}]}`,
		`{"ResourceShareInvitations":null,"Extra":[[[[{"a":[1,2,{"b":null}]}]]]]}`,
		`{"RequestId":"r"} trailing`,
		`{"Extra":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`,
	}
	for i, s := range seeds {
		f.Add([]byte(s), "30EC8328-1BDE", "TGlzdFJlc291cm****", "rs-ysGRci9z****", "exa\u00e9mple", "i-p6eRytrkjVvM****", int64(1660800000+i), int32(24))
	}
	f.Add([]byte(`{`), "\xff", "", "\x00\"\\", "\u2028\u2029<>&", "\ud7ff\ue000\U0010ffff", int64(-62135596800), int32(999999999))
	f.Fuzz(func(t *testing.T, data []byte, requestID, token, shareID, name, invitationID string, sec int64, nsec int32) {
		// Arbitrary bytes.
		var a rs.ListResourceShareInvitationsResponse
		errA := a.UnmarshalJSON(data)
		if errA == nil {
			require.True(t, json.Valid(data), "accepted invalid JSON %q", data)
		}
		// Decoding resets the value: a second decode into the same
		// (now filled) value gives the same result.
		b := a
		b.ResourceShareInvitations = append([]rs.ResourceShareInvitation(nil), a.ResourceShareInvitations...)
		errB := b.UnmarshalJSON(data)
		require.Equal(t, errA == nil, errB == nil)
		if errA == nil {
			require.True(t, reflect.DeepEqual(a, b), "decoding twice differs for %q", data)
		}

		// A well-formed document of random values round-trips.
		const minSec, maxSec = -62135596800, 253402300799 // years 1 to 9999
		span := int64(maxSec - minSec + 1)
		sec = minSec + ((sec%span)+span)%span
		created := time.Unix(sec, int64(uint32(nsec)%1e9)).UTC()
		doc := map[string]any{
			"RequestId": requestID,
			"NextToken": token,
			"ResourceShareInvitations": []any{
				map[string]any{
					"CreateTime":                created,
					"ResourceShareId":           shareID,
					"ResourceShareInvitationId": invitationID,
					"ResourceShareName":         name,
					"SenderAccountId":           requestID + token,
					"ReceiverAccountId":         "",
					"Status":                    name,
					"Unknown":                   map[string]any{"k": []any{shareID, 1.5, nil}},
					"InvitationFailedDetails": []any{
						map[string]any{"ResourceArn": shareID, "FailureDescription": name, "FailureReason": token},
					},
				},
				map[string]any{},
			},
		}
		body, err := json.Marshal(doc)
		require.NoError(t, err)
		var ref fzInvitationsRef
		require.NoError(t, json.Unmarshal(body, &ref))
		var got rs.ListResourceShareInvitationsResponse
		require.NoError(t, got.UnmarshalJSON(body), "%s", body)
		require.Equal(t, ref.RequestId, got.RequestId)
		require.Equal(t, ref.NextToken, got.NextToken)
		require.Len(t, got.ResourceShareInvitations, 2)
		inv, want := got.ResourceShareInvitations[0], ref.ResourceShareInvitations[0]
		require.Equal(t, want.ResourceShareId, inv.ResourceShareId)
		require.Equal(t, want.ResourceShareInvitationId, inv.ResourceShareInvitationId)
		require.Equal(t, want.ResourceShareName, inv.ResourceShareName)
		require.Equal(t, want.SenderAccountId, inv.SenderAccountId)
		require.Equal(t, want.ReceiverAccountId, inv.ReceiverAccountId)
		require.Equal(t, want.Status, string(inv.Status))
		require.True(t, created.Equal(inv.CreateTime), "CreateTime %v decoded as %v", created, inv.CreateTime)
		require.Len(t, inv.InvitationFailedDetails, 1)
		require.Equal(t, want.InvitationFailedDetails[0].ResourceArn, inv.InvitationFailedDetails[0].ResourceArn)
		require.Equal(t, want.InvitationFailedDetails[0].FailureDescription, inv.InvitationFailedDetails[0].FailureDescription)
		require.Equal(t, want.InvitationFailedDetails[0].FailureReason, string(inv.InvitationFailedDetails[0].FailureReason))
		require.Equal(t, rs.ResourceShareInvitation{}, got.ResourceShareInvitations[1])
	})
}
