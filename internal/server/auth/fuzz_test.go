package auth

import "testing"

// FuzzCheckPassword feeds arbitrary stored hashes (they come from
// configuration files): a clear error or an answer, never a panic, and
// never a match for a hash that does not parse.
func FuzzCheckPassword(f *testing.F) {
	good, _ := HashPassword("a long enough one", cheap)
	f.Add(good, "a long enough one")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "x")
	f.Add("$argon2id$v=19$m=4194304,t=1,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "")
	f.Fuzz(func(t *testing.T, hash, password string) {
		if h, err := parseHash(hash); err == nil && (h.Memory > 1<<16 || h.Time > 4) {
			t.Skip("too costly to hash in a fuzz loop; parsing it was the point")
		}
		ok, err := CheckPassword(hash, password)
		if err != nil && ok {
			t.Fatalf("CheckPassword(%q) matched and failed", hash)
		}
	})
}
