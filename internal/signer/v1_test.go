package signer

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected strings of the vectors below were computed independently of
// this package, from the documented algorithm, with this Python 3 program
// (run it to recompute; it prints canonical query, string to sign and
// signature of each vector):
//
//	import base64, hashlib, hmac
//	from urllib.parse import quote
//
//	def enc(s):
//	    return quote(s, safe='-_.~')  # UTF-8, upper-case hex, RFC 3986 unreserved kept
//
//	def canonical(params):  # params: dict name -> list of values (order kept)
//	    return '&'.join(enc(k) + '=' + enc(v) for k in sorted(params) for v in params[k])
//
//	def sign(method, params, secret):
//	    c = canonical(params)
//	    sts = method + '&' + enc('/') + '&' + enc(c)
//	    mac = hmac.new((secret + '&').encode(), sts.encode(), hashlib.sha1)
//	    return c, sts, base64.b64encode(mac.digest()).decode()
//
//	vectors = {
//	    'doc': ('GET', {
//	        'AccessKeyId': ['testid'], 'Action': ['DescribeRegions'], 'Format': ['XML'],
//	        'SignatureMethod': ['HMAC-SHA1'], 'SignatureNonce': ['3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf'],
//	        'SignatureVersion': ['1.0'], 'Timestamp': ['2016-02-23T12:46:24Z'], 'Version': ['2014-05-26'],
//	    }, 'testsecret'),
//	    'special': ('POST', {
//	        'Action': ['CreateResourceGroup'], 'Version': ['2020-03-31'], 'Format': ['JSON'],
//	        'AccessKeyId': ['LTAI5tExampleKeyId'], 'SignatureMethod': ['HMAC-SHA1'], 'SignatureVersion': ['1.0'],
//	        'SignatureNonce': ['0f9c1a2b3c4d5e6f708192a3b4c5d6e7'], 'Timestamp': ['2024-01-02T03:04:05Z'],
//	        'DisplayName': ['a b*c~d/e+f=g&h%i'],
//	        'Name': ['测试组-🚀'],
//	        'Tag.1.Key': ['env'], 'Tag.1.Value': [''],
//	        'Tag.2.Key': ['owner name'], 'Tag.2.Value': ['张三 <ops@example.com>'],
//	        'Resources.1.ResourceId': ['vpc-2ze3h2ih9ljtquyk9rhqd'], 'Resources.1.ResourceType': ['vpc'],
//	        'Resources.2.ResourceId': ['acs:ecs:cn-hangzhou:123:instance/i-abc'],
//	        'Filter': ['z', 'a', ''],
//	    }, 'sEcr3t/+=&%~key'),
//	    'order': ('POST', {
//	        'Tag.10.Key': ['k10'], 'Tag.2.Key': ['k2'], 'Tag.1.Key': ['k1'], 'TagKey': ['t'],
//	        'Tag_1': ['u'], 'tag': ['lower'], 'A~': ['tilde'], 'A-': ['dash'], 'A.': ['dot'], 'A': ['plain'],
//	    }, 'secret'),
//	    'empty': ('GET', {}, 'secret'),
//	}
//	for name, (m, p, s) in vectors.items():
//	    c, sts, sig = sign(m, p, s)
//	    print(name)
//	    print('  canonical:', c)
//	    print('  sts:', sts)
//	    print('  sig:', sig, ' enc:', enc(sig))
//
// The "doc" vector is the example of the public V1 signature documentation,
// whose published signature is OLeaidS1JvxuMvnyHOwuJ+uX5qY=.

type v1Vector struct {
	name      string
	method    string
	params    url.Values
	secret    string
	canonical string
	toSign    string
	signature string
	encSig    string // the signature as it appears in the query
}

func v1Vectors() []v1Vector {
	return []v1Vector{
		{
			name:   "documentation example",
			method: "GET",
			params: url.Values{
				"AccessKeyId":      {"testid"},
				"Action":           {"DescribeRegions"},
				"Format":           {"XML"},
				"SignatureMethod":  {"HMAC-SHA1"},
				"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
				"SignatureVersion": {"1.0"},
				"Timestamp":        {"2016-02-23T12:46:24Z"},
				"Version":          {"2014-05-26"},
			},
			secret: "testsecret",
			canonical: "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1" +
				"&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0" +
				"&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
			toSign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML" +
				"%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" +
				"%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			signature: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
			encSig:    "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D",
		},
		{
			name:   "POST with reserved, non-ASCII, empty and multi-valued parameters",
			method: "POST",
			params: url.Values{
				"Action":                   {"CreateResourceGroup"},
				"Version":                  {"2020-03-31"},
				"Format":                   {"JSON"},
				"AccessKeyId":              {"LTAI5tExampleKeyId"},
				"SignatureMethod":          {"HMAC-SHA1"},
				"SignatureVersion":         {"1.0"},
				"SignatureNonce":           {"0f9c1a2b3c4d5e6f708192a3b4c5d6e7"},
				"Timestamp":                {"2024-01-02T03:04:05Z"},
				"DisplayName":              {"a b*c~d/e+f=g&h%i"},
				"Name":                     {"测试组-🚀"},
				"Tag.1.Key":                {"env"},
				"Tag.1.Value":              {""},
				"Tag.2.Key":                {"owner name"},
				"Tag.2.Value":              {"张三 <ops@example.com>"},
				"Resources.1.ResourceId":   {"vpc-2ze3h2ih9ljtquyk9rhqd"},
				"Resources.1.ResourceType": {"vpc"},
				"Resources.2.ResourceId":   {"acs:ecs:cn-hangzhou:123:instance/i-abc"},
				"Filter":                   {"z", "a", ""},
			},
			secret: "sEcr3t/+=&%~key",
			canonical: "AccessKeyId=LTAI5tExampleKeyId&Action=CreateResourceGroup" +
				"&DisplayName=a%20b%2Ac~d%2Fe%2Bf%3Dg%26h%25i&Filter=z&Filter=a&Filter=&Format=JSON" +
				"&Name=%E6%B5%8B%E8%AF%95%E7%BB%84-%F0%9F%9A%80" +
				"&Resources.1.ResourceId=vpc-2ze3h2ih9ljtquyk9rhqd&Resources.1.ResourceType=vpc" +
				"&Resources.2.ResourceId=acs%3Aecs%3Acn-hangzhou%3A123%3Ainstance%2Fi-abc" +
				"&SignatureMethod=HMAC-SHA1&SignatureNonce=0f9c1a2b3c4d5e6f708192a3b4c5d6e7&SignatureVersion=1.0" +
				"&Tag.1.Key=env&Tag.1.Value=&Tag.2.Key=owner%20name" +
				"&Tag.2.Value=%E5%BC%A0%E4%B8%89%20%3Cops%40example.com%3E" +
				"&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2020-03-31",
			toSign: "POST&%2F&AccessKeyId%3DLTAI5tExampleKeyId%26Action%3DCreateResourceGroup" +
				"%26DisplayName%3Da%2520b%252Ac~d%252Fe%252Bf%253Dg%2526h%2525i%26Filter%3Dz%26Filter%3Da%26Filter%3D" +
				"%26Format%3DJSON%26Name%3D%25E6%25B5%258B%25E8%25AF%2595%25E7%25BB%2584-%25F0%259F%259A%2580" +
				"%26Resources.1.ResourceId%3Dvpc-2ze3h2ih9ljtquyk9rhqd%26Resources.1.ResourceType%3Dvpc" +
				"%26Resources.2.ResourceId%3Dacs%253Aecs%253Acn-hangzhou%253A123%253Ainstance%252Fi-abc" +
				"%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0f9c1a2b3c4d5e6f708192a3b4c5d6e7" +
				"%26SignatureVersion%3D1.0%26Tag.1.Key%3Denv%26Tag.1.Value%3D%26Tag.2.Key%3Downer%2520name" +
				"%26Tag.2.Value%3D%25E5%25BC%25A0%25E4%25B8%2589%2520%253Cops%2540example.com%253E" +
				"%26Timestamp%3D2024-01-02T03%253A04%253A05Z%26Version%3D2020-03-31",
			signature: "MCEOgQQsLH2JFdTbP2Vjfn05zIc=",
			encSig:    "MCEOgQQsLH2JFdTbP2Vjfn05zIc%3D",
		},
		{
			name:   "byte-order sorting of names",
			method: "POST",
			params: url.Values{
				"Tag.10.Key": {"k10"},
				"Tag.2.Key":  {"k2"},
				"Tag.1.Key":  {"k1"},
				"TagKey":     {"t"},
				"Tag_1":      {"u"},
				"tag":        {"lower"},
				"A~":         {"tilde"},
				"A-":         {"dash"},
				"A.":         {"dot"},
				"A":          {"plain"},
			},
			secret:    "secret",
			canonical: "A=plain&A-=dash&A.=dot&A~=tilde&Tag.1.Key=k1&Tag.10.Key=k10&Tag.2.Key=k2&TagKey=t&Tag_1=u&tag=lower",
			toSign: "POST&%2F&A%3Dplain%26A-%3Ddash%26A.%3Ddot%26A~%3Dtilde%26Tag.1.Key%3Dk1%26Tag.10.Key%3Dk10" +
				"%26Tag.2.Key%3Dk2%26TagKey%3Dt%26Tag_1%3Du%26tag%3Dlower",
			signature: "0bsqVGGUq6WwkZ1/AvzrHKLriM4=",
			encSig:    "0bsqVGGUq6WwkZ1%2FAvzrHKLriM4%3D",
		},
		{
			name:      "no parameters",
			method:    "GET",
			params:    url.Values{},
			secret:    "secret",
			canonical: "",
			toSign:    "GET&%2F&",
			signature: "cJivB3+Ard5Ae8LApJ30u7auuWE=",
			encSig:    "cJivB3%2BArd5Ae8LApJ30u7auuWE%3D",
		},
	}
}

func TestV1Vectors(t *testing.T) {
	for _, tc := range v1Vectors() {
		t.Run(tc.name, func(t *testing.T) {
			before := cloneValues(tc.params)

			canonical := CanonicalQuery(tc.params)
			assert.Equal(t, tc.canonical, canonical, "canonical query")
			assert.Equal(t, tc.toSign, StringToSignV1(tc.method, canonical), "string to sign")
			assert.Equal(t, tc.signature, SignatureV1(tc.method, canonical, tc.secret), "signature")
			assert.Equal(t, tc.encSig, PercentEncode(tc.signature))

			signed := SignV1(tc.method, tc.params, tc.secret)
			if tc.canonical == "" {
				assert.Equal(t, "&Signature="+tc.encSig, signed)
			} else {
				assert.Equal(t, tc.canonical+"&Signature="+tc.encSig, signed)
			}

			// The signed query round-trips: every parameter comes back with
			// its values in order, plus exactly one Signature.
			got, err := url.ParseQuery(signed)
			require.NoError(t, err)
			want := cloneValues(tc.params)
			want["Signature"] = []string{tc.signature}
			assert.Equal(t, want, got)

			assert.Equal(t, before, tc.params, "the parameters must not be modified")
		})
	}
}

func TestSignatureV1DependsOnEveryInput(t *testing.T) {
	base := v1Vectors()[0]
	canonical := CanonicalQuery(base.params)
	ref := SignatureV1(base.method, canonical, base.secret)

	assert.NotEqual(t, ref, SignatureV1("POST", canonical, base.secret), "method")
	assert.NotEqual(t, ref, SignatureV1(base.method, canonical, base.secret+"x"), "secret")
	assert.NotEqual(t, ref, SignatureV1(base.method, canonical+"&A=b", base.secret), "query")

	// The signature is a base64 HMAC-SHA1: 20 bytes.
	raw, err := base64.StdEncoding.DecodeString(ref)
	require.NoError(t, err)
	assert.Len(t, raw, 20)
}

func TestPercentEncode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"abcXYZ019", "abcXYZ019"},
		{"-_.~", "-_.~"},
		{" ", "%20"},
		{"*", "%2A"},
		{"~", "~"},
		{"/", "%2F"},
		{"+", "%2B"},
		{"=", "%3D"},
		{"&", "%26"},
		{"%", "%25"},
		{"%20", "%2520"},
		{":", "%3A"},
		{"?", "%3F"},
		{"#", "%23"},
		{"@", "%40"},
		{",", "%2C"},
		{";", "%3B"},
		{"!", "%21"},
		{"'", "%27"},
		{"(", "%28"},
		{")", "%29"},
		{"\"", "%22"},
		{"[]", "%5B%5D"},
		{"{}", "%7B%7D"},
		{"\\", "%5C"},
		{"|", "%7C"},
		{"^`", "%5E%60"},
		{"<>", "%3C%3E"},
		{"\n\t\r", "%0A%09%0D"},
		{"\x00", "%00"},
		{"\x7f", "%7F"},
		{"\xff", "%FF"}, // invalid UTF-8 is encoded byte by byte
		{"中", "%E4%B8%AD"},
		{"é", "%C3%A9"},
		{"🚀", "%F0%9F%9A%80"},
		{"a b", "a%20b"},
		{"2016-02-23T12:46:24Z", "2016-02-23T12%3A46%3A24Z"},
		{`["a","b"]`, "%5B%22a%22%2C%22b%22%5D"},
		{"Tag.1.Key", "Tag.1.Key"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, PercentEncode(tc.in))
		})
	}
}

func TestSignV1EncodesSignature(t *testing.T) {
	// Find a secret whose signature contains both '+' and '/' so the
	// encoding of the appended Signature is exercised in one query.
	params := url.Values{"Action": {"GetAccount"}, "AccountId": {"123"}}
	for i := range 10000 {
		secret := "secret-" + strconv.Itoa(i)
		sig := SignatureV1("POST", CanonicalQuery(params), secret)
		if !strings.Contains(sig, "+") || !strings.Contains(sig, "/") {
			continue
		}
		signed := SignV1("POST", params, secret)
		require.True(t, strings.HasPrefix(signed, "AccountId=123&Action=GetAccount&Signature="), signed)
		enc := strings.TrimPrefix(signed, "AccountId=123&Action=GetAccount&Signature=")
		assert.NotContains(t, enc, "+")
		assert.NotContains(t, enc, "/")
		assert.NotContains(t, enc, "=")
		got, err := url.ParseQuery(signed)
		require.NoError(t, err)
		assert.Equal(t, sig, got.Get("Signature"))
		return
	}
	t.Fatal("no secret gave a signature with both + and /")
}

func TestNonce(t *testing.T) {
	hexRE := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := make(map[string]bool, 1000)
	for range 1000 {
		n := Nonce()
		require.Regexp(t, hexRE, n)
		require.False(t, seen[n], "nonce %s repeated", n)
		seen[n] = true
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"UTC", time.Date(2016, 2, 23, 12, 46, 24, 0, time.UTC), "2016-02-23T12:46:24Z"},
		{"converted to UTC", time.Date(2016, 2, 23, 20, 46, 24, 0, time.FixedZone("CST", 8*3600)), "2016-02-23T12:46:24Z"},
		{"negative offset crosses a day", time.Date(2023, 12, 31, 22, 0, 0, 0, time.FixedZone("X", -5*3600)), "2024-01-01T03:00:00Z"},
		{"sub-second truncated", time.Date(2024, 1, 2, 3, 4, 5, 999_999_999, time.UTC), "2024-01-02T03:04:05Z"},
		{"zero padded", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02T03:04:05Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Timestamp(tc.in)
			assert.Equal(t, tc.want, got)
			back, err := time.Parse(time.RFC3339, got)
			require.NoError(t, err)
			assert.True(t, back.Equal(tc.in.Truncate(time.Second)))
		})
	}
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`, Timestamp(time.Now()))
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// onlyEncoded reports whether s consists of RFC 3986 unreserved characters
// and %XX escapes with upper-case hex digits.
func onlyEncoded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
		case c == '%':
			if i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func FuzzPercentEncode(f *testing.F) {
	for _, s := range []string{
		"", "abc", " ", "*", "~", "/", "+", "=", "&", "%", "%7E", "%2A", "a+b c*d~e",
		"中文", "🚀", "\x00\xff", "\xe4\xb8", "2016-02-23T12:46:24Z", `["a","b"]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PercentEncode(s)
		if !onlyEncoded(got) {
			t.Fatalf("PercentEncode(%q) = %q: not only unreserved characters and %%XX", s, got)
		}
		back, err := url.PathUnescape(got)
		if err != nil || back != s {
			t.Fatalf("PathUnescape(PercentEncode(%q)) = %q, %v", s, back, err)
		}
		want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		want = strings.ReplaceAll(want, "*", "%2A")
		want = strings.ReplaceAll(want, "%7E", "~")
		if got != want {
			t.Fatalf("PercentEncode(%q) = %q, want %q", s, got, want)
		}
		// Unreserved input is returned unchanged; anything else grows.
		if onlyUnreserved(s) != (got == s) {
			t.Fatalf("PercentEncode(%q) = %q: unchanged iff unreserved", s, got)
		}
	})
}

func onlyUnreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		if !unreservedRef(s[i]) {
			return false
		}
	}
	return true
}

func unreservedRef(c byte) bool {
	return strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~", c) >= 0
}

func FuzzCanonicalQuery(f *testing.F) {
	f.Add("Action", "DescribeRegions", "Tag.1.Key", "env", "Tag.1.Value", "", "secret")
	f.Add("Resources.1.ResourceId", "a b*c~d/e+f=g&h%i", "Resources.1.ResourceType", "vpc", "Name", "测试🚀", "s/+=")
	f.Add("", "", "=", "&", "%", "+", "")
	f.Add("k", "v1", "k", "v2", "K", "v3", "x")
	f.Add("a;b", "c;d", "\xff", "\x00", "é", "中", "密钥")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3, secret string) {
		params := url.Values{}
		params.Add(k1, v1)
		params.Add(k2, v2)
		params.Add(k3, v3)
		want := cloneValues(params)

		canonical := CanonicalQuery(params)
		if want := CanonicalQuery(cloneValues(params)); canonical != want {
			t.Fatalf("not deterministic: %q then %q", canonical, want)
		}
		require.Equal(t, want, params, "CanonicalQuery modified its input")

		// Parses back to the same values.
		got, err := url.ParseQuery(canonical)
		require.NoError(t, err, canonical)
		require.Equal(t, want, got, canonical)

		// Pairs are name=value with both sides encoded, names in byte order,
		// and the values of one name in their original order.
		pairs := strings.Split(canonical, "&")
		names := make([]string, 0, len(pairs))
		for _, p := range pairs {
			ek, ev, ok := strings.Cut(p, "=")
			require.True(t, ok, p)
			require.True(t, onlyEncoded(ek) && onlyEncoded(ev), p)
			k, err := url.PathUnescape(ek)
			require.NoError(t, err)
			names = append(names, k)
		}
		require.True(t, slices.IsSorted(names), "names not sorted: %q", names)

		// The signature is deterministic, valid base64 of 20 bytes, and the
		// signed query is the canonical query plus the Signature.
		sig := SignatureV1("POST", canonical, secret)
		require.Equal(t, sig, SignatureV1("POST", CanonicalQuery(want), secret))
		raw, err := base64.StdEncoding.DecodeString(sig)
		require.NoError(t, err)
		require.Len(t, raw, 20)
		signed := SignV1("POST", params, secret)
		require.Equal(t, canonical+"&Signature="+PercentEncode(sig), signed)

		sts := StringToSignV1("POST", canonical)
		require.True(t, strings.HasPrefix(sts, "POST&%2F&"))
		rest, err := url.PathUnescape(strings.TrimPrefix(sts, "POST&%2F&"))
		require.NoError(t, err)
		require.Equal(t, canonical, rest)
		if i := strings.IndexFunc(sts, func(r rune) bool { return r >= utf8.RuneSelf }); i >= 0 {
			t.Fatalf("string to sign is not ASCII at %d: %q", i, sts)
		}
	})
}

func BenchmarkSignV1(b *testing.B) {
	// A realistic ListResources call: 8 common and 7 operation parameters.
	params := url.Values{
		"AccessKeyId":          {"LTAI5tExampleKeyId0000000"},
		"Action":               {"ListResources"},
		"Format":               {"JSON"},
		"SignatureMethod":      {V1Method},
		"SignatureNonce":       {"0f9c1a2b3c4d5e6f708192a3b4c5d6e7"},
		"SignatureVersion":     {V1Version},
		"Timestamp":            {"2024-01-02T03:04:05Z"},
		"Version":              {"2020-03-31"},
		"PageNumber":           {"3"},
		"PageSize":             {"100"},
		"ResourceGroupId":      {"rg-aekzq5zeh2kbmai"},
		"ResourceIds.1":        {"i-bp1dfbr5kn7zdy3vdvvs"},
		"ResourceIds.2":        {"acs:vpc:cn-hangzhou:123:vpc/vpc-2ze3h2ih9ljtquyk9rhqd"},
		"ResourceTypes.1.Code": {"ACS::ECS::Instance"},
		"Service":              {"ecs"},
	}
	require.Len(b, params, 15)
	b.ReportAllocs()
	for b.Loop() {
		_ = SignV1("POST", params, "testsecretExampleSecret0000000")
	}
}
