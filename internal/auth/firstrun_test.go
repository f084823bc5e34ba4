package auth

import (
	"context"
	"testing"
)

// TestFirstStartAdmin: the generated password is returned (to be printed
// once), it signs in, and the first start lasts until someone signs in.
func TestFirstStartAdmin(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	if waiting, err := svc.AwaitingFirstSignIn(ctx); err != nil || waiting {
		t.Fatalf("before any user: AwaitingFirstSignIn = %v, %v; want false", waiting, err)
	}
	created, generated, err := svc.EnsureAdmin(ctx, "")
	if err != nil || !created || len(generated) < MinPasswordLen {
		t.Fatalf("EnsureAdmin = %v, %q, %v; want created with a generated password", created, generated, err)
	}
	if waiting, err := svc.AwaitingFirstSignIn(ctx); err != nil || !waiting {
		t.Fatalf("after the first start: AwaitingFirstSignIn = %v, %v; want true", waiting, err)
	}
	if _, _, _, err := svc.Login(ctx, "admin", generated+"x", "10.0.0.1"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if waiting, _ := svc.AwaitingFirstSignIn(ctx); !waiting {
		t.Error("a failed sign-in ended the first start")
	}
	if _, _, _, err := svc.Login(ctx, "admin", generated, "10.0.0.1"); err != nil {
		t.Fatalf("sign in with the generated password: %v", err)
	}
	if waiting, err := svc.AwaitingFirstSignIn(ctx); err != nil || waiting {
		t.Errorf("after a sign-in: AwaitingFirstSignIn = %v, %v; want false", waiting, err)
	}
}

// TestNoFirstStartForOtherUsers: users made by hand before the first serve
// are no first start, whoever signed in.
func TestNoFirstStartForOtherUsers(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	mustUser(t, svc, "dilnoza", Admin, "a long passphrase")
	if created, _, err := svc.EnsureAdmin(ctx, ""); err != nil || created {
		t.Fatalf("EnsureAdmin with a user present = %v, %v", created, err)
	}
	if waiting, err := svc.AwaitingFirstSignIn(ctx); err != nil || waiting {
		t.Errorf("AwaitingFirstSignIn = %v, %v; want false (admin was not made by postdash)", waiting, err)
	}
}
