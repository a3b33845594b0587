package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Link is a slow mobile link: the queries run over it in Node (simulated
// by client/eval.mjs) and in Chromium (its network throttled).
type Link struct {
	RTT       time.Duration // round trip, before a response's first byte
	Bandwidth int64         // download, bytes per second
}

// String describes the link for the report.
func (l Link) String() string {
	return fmt.Sprintf("%s RTT, %s kB/s down", millis(l.RTT), strconv.FormatFloat(float64(l.Bandwidth)/1000, 'f', -1, 64))
}

// evalArgs are client/eval.mjs's flags for the link.
func (l Link) evalArgs() []string {
	return []string{"--rtt", fmt.Sprint(l.RTT.Milliseconds()), "--bw", fmt.Sprint(l.Bandwidth)}
}

// uploadThroughput is the throttled browser's upload, in bytes per
// second: generous, since a query's requests carry no body.
const uploadThroughput = 10 << 20

// throttle makes the network of the tab at ctx go over l, every request
// of it: Chromium shares the bandwidth among the requests in flight (the
// simulation in Node gives each request all of it).
func throttle(ctx context.Context, l Link) error {
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{ // no pattern: every request
			Latency:            float64(l.RTT) / float64(time.Millisecond),
			DownloadThroughput: float64(l.Bandwidth),
			UploadThroughput:   uploadThroughput,
			ConnectionType:     network.ConnectionTypeCellular4g,
		}},
	})
	return err
}

// timedRequest is when a request was issued and when it completed, in
// seconds on any one clock; done is negative for a request that did not
// complete.
type timedRequest struct{ sent, done float64 }

// SequentialDepth is the number of round trips the requests wait for one
// after another: a request's depth is 1 + the largest depth of the
// requests that had completed when it was issued (0 for none), and the
// result the largest of the requests' depths (0 for no request).
// client/eval.mjs takes the same measure of its simulated link.
func SequentialDepth(reqs []timedRequest) int {
	s := slices.Clone(reqs)
	slices.SortStableFunc(s, func(a, b timedRequest) int {
		switch {
		case a.sent < b.sent:
			return -1
		case a.sent > b.sent:
			return 1
		}
		return 0
	})
	depth := make([]int, len(s))
	most := 0
	for i, r := range s {
		before := 0
		for j := range i { // a request completed before r was issued was issued before it
			if s[j].done >= 0 && s[j].done <= r.sent {
				before = max(before, depth[j])
			}
		}
		depth[i] = before + 1
		most = max(most, depth[i])
	}
	return most
}

// netLog keeps the times of the requests a tab makes under one path, from
// the Network events of the DevTools protocol (Network.enable, which
// throttle sends, turns them on).
type netLog struct {
	prefix string // "/search/"
	mu     sync.Mutex
	reqs   []*timedRequest
	byID   map[network.RequestID]*timedRequest
}

func newNetLog(prefix string) *netLog {
	return &netLog{prefix: prefix, byID: map[network.RequestID]*timedRequest{}}
}

// listen is a chromedp listener: it runs on the tab's goroutine.
func (l *netLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request == nil {
			return
		}
		if u, err := url.Parse(e.Request.URL); err != nil || !strings.HasPrefix(u.Path, l.prefix) {
			return
		}
		r := &timedRequest{sent: e.Timestamp.Float64(), done: -1}
		l.reqs = append(l.reqs, r)
		l.byID[e.RequestID] = r
	case *network.EventLoadingFinished:
		if r := l.byID[e.RequestID]; r != nil {
			r.done = e.Timestamp.Float64()
		}
	case *network.EventLoadingFailed:
		if r := l.byID[e.RequestID]; r != nil {
			r.done = e.Timestamp.Float64()
		}
	}
}

// mark is where the requests of the next query start.
func (l *netLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// since is the number of requests since mark and their sequential depth.
func (l *netLog) since(mark int) (n, depth int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var reqs []timedRequest
	for _, r := range l.reqs[mark:] {
		reqs = append(reqs, *r)
	}
	return len(reqs), SequentialDepth(reqs)
}
