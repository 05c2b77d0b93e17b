package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/resourcemanager"
)

func TestSpansForEveryAttemptAndOperation(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	srv := alicloudtest.NewServer(t)
	cfg := srv.Config()
	cfg.Hooks = []alicloud.Hook{TracingHook{Tracer: tp.Tracer("test")}}
	cfg.Retry = alicloud.RetryOptions{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
	srv.ThrottleNext(1)
	_, err := resourcemanager.New(cfg).ListAccounts(context.Background(), nil)
	require.NoError(t, err)

	spans := rec.Ended()
	require.Len(t, spans, 3)
	names := []string{spans[0].Name(), spans[1].Name(), spans[2].Name()}
	assert.Equal(t, []string{"ResourceManager/ListAccounts attempt 1", "ResourceManager/ListAccounts attempt 2", "ResourceManager/ListAccounts"}, names)
	attrs := func(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
		m := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes() {
			m[kv.Key] = kv.Value
		}
		return m
	}
	first := attrs(spans[0])
	assert.Equal(t, "LimitExceeded.Frequency", first["alicloud.error_code"].AsString())
	assert.True(t, first["alicloud.retry"].AsBool())
	assert.Equal(t, int64(200), attrs(spans[1])["http.response.status_code"].AsInt64())
	assert.Equal(t, int64(2), attrs(spans[2])["alicloud.attempts"].AsInt64())
	assert.False(t, spans[2].StartTime().After(spans[0].StartTime()), "the operation span covers its attempts")
	op := spans[2].SpanContext()
	for _, attempt := range spans[:2] {
		assert.Equal(t, op.TraceID(), attempt.SpanContext().TraceID(), "one trace")
		assert.Equal(t, op.SpanID(), attempt.Parent().SpanID(), "attempts are children of the operation")
	}
}

func TestRunPrintsSpans(t *testing.T) {
	var out testWriter
	require.NoError(t, run(context.Background(), &out))
	assert.Contains(t, string(out), `"Name": "ResourceManager/ListAccounts"`)
}

type testWriter []byte

func (w *testWriter) Write(p []byte) (int, error) { *w = append(*w, p...); return len(p), nil }
