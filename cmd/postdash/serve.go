package main

import "context"

func cmdServe(ctx context.Context, e *env, args []string) int {
	return fail(e, 2, "serve: not wired yet")
}
