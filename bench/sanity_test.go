package bench

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcesharing"
)

func startContenders(t testing.TB) (*Server, []Contender) {
	t.Helper()
	srv := NewServer()
	t.Cleanup(srv.Close)
	cs, err := Contenders(srv)
	if err != nil {
		t.Fatal(err)
	}
	return srv, cs
}

// TestSignaturesVerify is the gate before any number is taken: with the
// server checking every request's V1 signature, each client must get 200
// and decode the items it asked for, page through a data set, and its
// signing code alone must produce a query the server's reference signature
// accepts.
func TestSignaturesVerify(t *testing.T) {
	srv, cs := startContenders(t)
	ctx := context.Background()
	for _, c := range cs {
		t.Run(c.Name, func(t *testing.T) {
			before := srv.Rejected()
			for _, n := range []int{1, 20, 100} {
				got, next, err := c.List(ctx, n, "")
				if err != nil {
					t.Fatalf("List(MaxResults=%d): %v (server: %s)", n, err, srv.LastRejection())
				}
				if got != n {
					t.Fatalf("List(MaxResults=%d) decoded %d items", n, got)
				}
				if next != Token(n) {
					t.Fatalf("List(MaxResults=%d) NextToken = %q, want %q", n, next, Token(n))
				}
			}
			// A page in the middle, reached through a NextToken.
			got, next, err := c.List(ctx, 100, Token(9900))
			if err != nil || got != 100 || next != "" {
				t.Fatalf("last page: %d items, next %q, err %v", got, next, err)
			}
			// Walking the whole data set with pages of 100.
			pages := 0
			total, err := c.Paginate(ctx, 100, "", func(p int) { pages = p })
			if err != nil || total != TotalInvitations || pages != TotalInvitations/100 {
				t.Fatalf("Paginate: %d items in %d pages, err %v", total, pages, err)
			}
			if r := srv.Rejected() - before; r != 0 {
				t.Fatalf("server rejected %d requests: %s", r, srv.LastRejection())
			}

			// The signing code alone: its output must verify too.
			signed, err := c.Sign(ctx, 100, Token(100))
			if err != nil {
				t.Fatal(err)
			}
			if _, q, ok := strings.Cut(signed, "?"); ok {
				signed = q
			}
			vals, err := url.ParseQuery(signed)
			if err != nil {
				t.Fatal(err)
			}
			if vals.Get("MaxResults") != "100" || vals.Get("NextToken") != Token(100) {
				t.Fatalf("signed query lacks the request parameters: %s", signed)
			}
			if want := V1Signature(http.MethodPost, vals, AccessKeySecret); vals.Get("Signature") != want {
				t.Fatalf("Sign: signature %q, server computes %q", vals.Get("Signature"), want)
			}
		})
	}
}

// TestDecodersAgree checks that the four decoding paths read the same
// values out of one page, so that Decode compares equal work.
func TestDecodersAgree(t *testing.T) {
	_, cs := startContenders(t)
	body := RenderPage(300, 100)
	for _, c := range cs {
		n, err := c.Decode(body)
		if err != nil || n != 100 {
			t.Fatalf("%s: %d items, %v", c.Name, n, err)
		}
	}
	want := MakeInvitation(342)
	raw, _ := RawDecode(body)
	sdk, _ := SDKDecode(body)
	v1, _ := V1Decode(body)
	v2, _ := V2Decode(body)
	r, s, a, b := raw.ResourceShareInvitations[42], sdk.ResourceShareInvitations[42], v1.ResourceShareInvitations[42], v2.Body.ResourceShareInvitations[42]
	ids := []string{r.ResourceShareInvitationId, s.ResourceShareInvitationId, a.ResourceShareInvitationId, *b.ResourceShareInvitationId}
	for i, id := range ids {
		if id != want.ResourceShareInvitationId {
			t.Errorf("decoder %d: id %q, want %q", i, id, want.ResourceShareInvitationId)
		}
	}
	wantTime, _ := time.Parse(time.RFC3339Nano, want.CreateTime)
	if !r.CreateTime.Equal(wantTime) || !s.CreateTime.Equal(wantTime) || a.CreateTime != want.CreateTime || *b.CreateTime != want.CreateTime {
		t.Errorf("CreateTime differs: %v %v %q %q", r.CreateTime, s.CreateTime, a.CreateTime, *b.CreateTime)
	}
	d := want.InvitationFailedDetails[0]
	if s.InvitationFailedDetails[0].ResourceArn != d.ResourceArn || string(s.InvitationFailedDetails[0].FailureReason) != d.FailureReason ||
		r.InvitationFailedDetails[0].ResourceId != d.ResourceId || a.InvitationFailedDetails[0].ResourceId != d.ResourceId ||
		*b.InvitationFailedDetails[0].ResourceId != d.ResourceId {
		t.Errorf("InvitationFailedDetails differ")
	}
}

// TestServerRejectsBadSignature shows that the gate can fail: a wrong
// secret, a parameter changed after signing, a replayed nonce and a
// request without a V1 signature are all refused.
func TestServerRejectsBadSignature(t *testing.T) {
	srv, _ := startContenders(t)
	ctx := context.Background()
	post := func(rawQuery string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL+"/?"+rawQuery, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode, srv.LastRejection()
	}

	good := NewRaw(srv.URL)
	q := good.SignedQuery(10, "")
	if code, _ := post(q); code != http.StatusOK {
		t.Fatalf("a good signature got HTTP %d: %s", code, srv.LastRejection())
	}

	t.Run("wrong secret", func(t *testing.T) {
		bad := NewRaw(srv.URL)
		bad.key = []byte("not-the-secret&")
		code, why := post(bad.SignedQuery(10, ""))
		if code != http.StatusBadRequest || !strings.HasPrefix(why, "SignatureDoesNotMatch") {
			t.Fatalf("HTTP %d, %s", code, why)
		}
	})
	t.Run("tampered parameter", func(t *testing.T) {
		tampered := strings.Replace(good.SignedQuery(10, ""), "MaxResults=10", "MaxResults=11", 1)
		code, why := post(tampered)
		if code != http.StatusBadRequest || !strings.HasPrefix(why, "SignatureDoesNotMatch") {
			t.Fatalf("HTTP %d, %s", code, why)
		}
	})
	t.Run("replayed nonce", func(t *testing.T) {
		code, why := post(q)
		if code != http.StatusBadRequest || !strings.HasPrefix(why, "SignatureNonceUsed") {
			t.Fatalf("HTTP %d, %s", code, why)
		}
	})
	t.Run("sdk with a wrong secret", func(t *testing.T) {
		c := resourcesharing.New(alicloud.Config{
			Region: Region, Endpoint: srv.URL,
			Credentials: alicloud.NewStaticCredentials(AccessKeyID, "wrong", ""),
		})
		_, err := c.ListResourceShareInvitations(ctx, &resourcesharing.ListResourceShareInvitationsRequest{MaxResults: 5})
		var apiErr *alicloud.APIError
		if !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" || apiErr.HTTPStatus != http.StatusBadRequest {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("v2 default signature is not V1", func(t *testing.T) {
		// Left at its default, darabonba-openapi v2 signs with
		// ACS3-HMAC-SHA256 in an Authorization header and sends no
		// Signature parameter, so a V1 check refuses it. The benchmarks
		// configure SignatureAlgorithm "v2" instead.
		v2, err := NewV2WithConfig(V2Config(srv.Host(), ""))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v2.List(5, ""); err == nil {
			t.Fatal("a V1 server accepted v2's default signature")
		}
		if why := srv.LastRejection(); !strings.HasPrefix(why, "MissingSignature") {
			t.Fatalf("rejected for %q", why)
		}
		if auth := srv.LastHeaders().Get("Authorization"); !strings.HasPrefix(auth, "ACS3-HMAC-SHA256 ") {
			t.Fatalf("Authorization = %q", auth)
		}
	})
}

// verifyingCanned is Canned that also checks each request's V1 signature.
type verifyingCanned struct {
	Canned
	t *testing.T
}

func (v verifyingCanned) RoundTrip(r *http.Request) (*http.Response, error) {
	params := r.URL.Query()
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		form, perr := url.ParseQuery(string(b))
		if err != nil || perr != nil {
			v.t.Error(err, perr)
		}
		for k, vs := range form {
			params[k] = append(params[k], vs...)
		}
	}
	if want := V1Signature(r.Method, params, AccessKeySecret); params.Get("Signature") != want {
		v.t.Errorf("%s: signature %q, want %q", r.Header.Get("User-Agent"), params.Get("Signature"), want)
	}
	return v.Canned.RoundTrip(r)
}

// TestLocalContenders checks the network-free variants used by
// BenchmarkLocal: the transport hook reaches every client, each signs
// correctly and decodes the canned reply.
func TestLocalContenders(t *testing.T) {
	cs, err := LocalContenders(verifyingCanned{Canned{Body: RenderPage(0, 3)}, t})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		n, next, err := c.List(context.Background(), 3, "")
		if err != nil || n != 3 || next != Token(3) {
			t.Errorf("%s: %d items, next %q, %v", c.Name, n, next, err)
		}
	}
}
