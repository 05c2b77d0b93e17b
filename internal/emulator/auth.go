package emulator

import (
	"crypto/hmac"
	"net/url"
	"strings"
	"time"

	"github.com/resourcekit/alicloud/internal/signer"
)

// maxClockSkew is how far a request's Timestamp may be from the emulator's
// wall clock, either way, as in the real service.
const maxClockSkew = 15 * time.Minute

// accessKey is an access key pair the emulator issued to an account.
type accessKey struct {
	id, secret string
	accountID  string
}

// nonceCache remembers the SignatureNonce values seen per access key for as
// long as a request carrying them could still pass the Timestamp check.
type nonceCache struct {
	seen      map[string]time.Time // key ID + "\x00" + nonce -> forget after
	nextPrune int
}

func (n *nonceCache) use(keyID, nonce string, now time.Time) bool {
	if n.seen == nil {
		n.seen = map[string]time.Time{}
		n.nextPrune = 1024
	}
	k := keyID + "\x00" + nonce
	if until, ok := n.seen[k]; ok && now.Before(until) {
		return false
	}
	n.seen[k] = now.Add(2 * maxClockSkew)
	if len(n.seen) >= n.nextPrune {
		for k, until := range n.seen {
			if !now.Before(until) {
				delete(n.seen, k)
			}
		}
		n.nextPrune = max(1024, 2*len(n.seen))
	}
	return true
}

// authenticate checks the signature of a request and returns the calling
// account. A request with an ACS3-HMAC-SHA256 Authorization header is
// checked by authenticateACS3; any other must carry the V1 signature.
// Both run their checks from the cheapest to the most specific: required
// signing parameters, the access key, the timestamp window (against wall,
// the real time, because clients sign with their own clocks), the signature
// itself, and only then the nonce, so that a forged request cannot burn a
// nonce.
func (st *state) authenticate(in *inbound, wall time.Time) (*account, error) {
	if auth := in.header.Get("Authorization"); strings.HasPrefix(auth, acs3Algorithm+" ") {
		return st.authenticateACS3(in, auth, wall)
	}
	method, p := in.method, in.params
	switch m := p.get("SignatureMethod"); {
	case m == "":
		return nil, &apiError{code: "MissingSignatureMethod", param: "SignatureMethod"}
	case m != signer.V1Method:
		return nil, errCode(codeSignatureMethod)
	}
	switch v := p.get("SignatureVersion"); {
	case v == "":
		return nil, &apiError{code: "MissingSignatureVersion", param: "SignatureVersion"}
	case v != signer.V1Version:
		return nil, &apiError{code: "InvalidSignatureVersion", param: "SignatureVersion"}
	}
	keyID := p.get("AccessKeyId")
	if keyID == "" {
		return nil, &apiError{code: "MissingAccessKeyId", param: "AccessKeyId"}
	}
	sig := p.get("Signature")
	if sig == "" {
		return nil, errCode(codeIncompleteSignature)
	}
	nonce := p.get("SignatureNonce")
	if nonce == "" {
		return nil, &apiError{code: "MissingSignatureNonce", param: "SignatureNonce"}
	}
	ts, err := time.Parse(time.RFC3339, p.get("Timestamp"))
	if err != nil {
		return nil, errCode(codeTimestampFormat)
	}
	key, acc, err := st.lookupKey(keyID)
	if err != nil {
		return nil, err
	}
	if d := wall.Sub(ts); d > maxClockSkew || d < -maxClockSkew {
		return nil, errCode(codeTimestampExpired)
	}
	signed := make(url.Values, len(p))
	for k, vs := range p {
		if k != "Signature" {
			signed[k] = vs
		}
	}
	want := signer.SignatureV1(method, signer.CanonicalQuery(signed), key.secret)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return nil, errCode(codeSignatureMismatch)
	}
	if !st.nonces.use(keyID, nonce, wall) {
		return nil, errCode(codeNonceUsed)
	}
	return acc, nil
}

// lookupKey finds an access key and its account.
func (st *state) lookupKey(keyID string) (*accessKey, *account, error) {
	key, ok := st.keys[keyID]
	if !ok {
		return nil, nil, errCode(codeAccessKeyNotFound)
	}
	acc := st.accounts[key.accountID]
	if acc == nil {
		return nil, nil, errCode(codeAccessKeyNotFound)
	}
	return key, acc, nil
}
