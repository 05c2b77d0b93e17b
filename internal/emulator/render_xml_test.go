package emulator

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatXMLAnswersTheSameDocumentInXML(t *testing.T) {
	s := newTestService(t, Config{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "ListAccounts", url.Values{"Format": {"XML"}}))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "text/xml;charset=utf-8", rec.Header().Get("Content-Type"))
	var doc struct {
		XMLName    xml.Name
		RequestId  string
		TotalCount int
		Accounts   struct {
			Account []struct {
				AccountId   string
				DisplayName string
			}
		}
	}
	require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &doc), rec.Body.String())
	assert.Equal(t, "ListAccountsResponse", doc.XMLName.Local)
	assert.Equal(t, rec.Header().Get("x-acs-request-id"), doc.RequestId)
	assert.Equal(t, 1, doc.TotalCount)
	require.Len(t, doc.Accounts.Account, 1)
	assert.Equal(t, s.ManagementAccountID(), doc.Accounts.Account[0].AccountId)

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, signedRequest(t, s, "2020-03-31", "GetAccount", url.Values{"Format": {"xml"}, "AccountId": {"1999999999999999"}}))
	require.Equal(t, http.StatusNotFound, rec.Code, rec.Body.String())
	var e struct {
		XMLName   xml.Name
		RequestId string
		HostId    string
		Code      string
		Message   string
	}
	require.NoError(t, xml.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
	assert.Equal(t, "Error", e.XMLName.Local)
	assert.Equal(t, "EntityNotExists.Account", e.Code)
	assert.NotEmpty(t, e.Message)
	assert.Equal(t, "resourcemanager.aliyuncs.com", e.HostId)
}

func TestJSONToXML(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"RequestId":"R","List":[{"A":1},{"A":2}],"Empty":[],"N":null,"B":true,"S":"<&>"}`,
			`<X><RequestId>R</RequestId><List><A>1</A></List><List><A>2</A></List><N></N><B>true</B><S>&lt;&amp;&gt;</S></X>`},
		{`{"Accounts":{"Account":[{"Id":"1"},{"Id":"2"}]}}`, `<X><Accounts><Account><Id>1</Id></Account><Account><Id>2</Id></Account></Accounts></X>`},
		{`{"Big":12345678901234567890,"F":1.5}`, `<X><Big>12345678901234567890</Big><F>1.5</F></X>`},
	} {
		got, err := jsonToXML("X", []byte(tc.in))
		require.NoError(t, err, tc.in)
		assert.Equal(t, xmlHeader+tc.want, string(got))
	}
	for _, bad := range []string{`{"a b":1}`, `{"1x":1}`, `{"A":1} {}`, `{"A":`} {
		_, err := jsonToXML("X", []byte(bad))
		assert.Error(t, err, bad)
	}
	_, err := jsonToXML("X", []byte(`{"A":"`+strings.Repeat("x", 10)+`"}`))
	require.NoError(t, err)
}
