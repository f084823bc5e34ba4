package importer

import (
	"context"
	"strconv"
	"sync"
)

// MaxQueuedPerUser bounds the imports one user may have running or waiting.
const MaxQueuedPerUser = 3

// ErrQueueFull refuses an import when its user already has
// MaxQueuedPerUser running or waiting.
var ErrQueueFull = &Error{Key: "acct.upload.queue_full", Args: map[string]string{"limit": strconv.Itoa(MaxQueuedPerUser)},
	Text: "too many imports of this user running or waiting"}

// Gate is the one door every import of this process goes through,
// from the upload page or the API: a few run at once, the others wait in
// arrival order, and a user may have only a few in all.
type Gate struct {
	mu      sync.Mutex
	free    int
	perUser int
	waiting []*Turn
	byUser  map[string]int
}

// NewGate lets parallel imports run at once and perUser in all per user.
func NewGate(parallel, perUser int) *Gate {
	return &Gate{free: parallel, perUser: perUser, byUser: map[string]int{}}
}

// Turn is one import's place at the gate.
type Turn struct {
	g       *Gate
	user    string
	job     string // the job it runs, for its page's queue position
	granted chan struct{}
	gone    bool
}

// Enter takes a place in line for user, or refuses with ErrQueueFull.
func (g *Gate) Enter(user string) (*Turn, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byUser[user] >= g.perUser {
		return nil, ErrQueueFull
	}
	g.byUser[user]++
	t := &Turn{g: g, user: user, granted: make(chan struct{})}
	if g.free > 0 {
		g.free--
		close(t.granted)
	} else {
		g.waiting = append(g.waiting, t)
	}
	return t, nil
}

// forJob names the job a turn runs.
func (t *Turn) forJob(id string) {
	t.g.mu.Lock()
	t.job = id
	t.g.mu.Unlock()
}

// Wait blocks until the turn may run or ctx ends (then it leaves the line).
func (t *Turn) Wait(ctx context.Context) error {
	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
		t.Leave()
		return ctx.Err()
	}
}

// Leave gives the place up, running or waiting, and lets the next one in.
func (t *Turn) Leave() {
	g := t.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if t.gone {
		return
	}
	t.gone = true
	if g.byUser[t.user]--; g.byUser[t.user] <= 0 {
		delete(g.byUser, t.user)
	}
	select {
	case <-t.granted:
		if len(g.waiting) > 0 {
			next := g.waiting[0]
			g.waiting = g.waiting[1:]
			close(next.granted)
		} else {
			g.free++
		}
	default:
		for i, w := range g.waiting {
			if w == t {
				g.waiting = append(g.waiting[:i], g.waiting[i+1:]...)
				break
			}
		}
	}
}

// Position is how many imports wait before the job's (1 for the next in
// line), or 0 when it runs or this process does not hold it.
func (g *Gate) Position(job string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, w := range g.waiting {
		if w.job == job {
			return i + 1
		}
	}
	return 0
}
