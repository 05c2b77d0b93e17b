// Command otel shows how to turn the SDK's hooks into OpenTelemetry spans.
// It lives in its own module so that the SDK itself takes no tracing
// dependency: the hook interface (alicloud.Hook) carries everything a span
// needs, and nothing secret.
//
//	cd examples/otel && go run .
package main

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/resourcekit/alicloud"
)

// TracingHook records one span per operation and, as its children, one per
// attempt. The operation span starts in OnOperationStart, before the first
// attempt, and travels in the context the SDK hands to the hook's later
// calls. Attempts are reported when they have finished, so their spans are
// started in the past (now minus the measured latency) and ended at once.
type TracingHook struct {
	Tracer trace.Tracer
}

var _ alicloud.OperationStartHook = TracingHook{}

// operationSpanKey holds the operation's span in the hook's context, so that
// OnOperation ends the span this hook started and never the caller's.
type operationSpanKey struct{}

// OnOperationStart starts the operation's span.
func (h TracingHook) OnOperationStart(ctx context.Context, o alicloud.OperationStartInfo) context.Context {
	ctx, span := h.Tracer.Start(ctx, o.Product+"/"+o.Action, trace.WithSpanKind(trace.SpanKindInternal))
	span.SetAttributes(
		attribute.String("rpc.system", "alibaba_cloud"),
		attribute.String("rpc.service", o.Product),
		attribute.String("rpc.method", o.Action),
	)
	return context.WithValue(ctx, operationSpanKey{}, span)
}

// OnAttempt records an attempt, one HTTP round trip, under the operation.
func (h TracingHook) OnAttempt(ctx context.Context, a alicloud.AttemptInfo) {
	end := time.Now()
	_, span := h.Tracer.Start(ctx, a.Product+"/"+a.Action+" attempt "+strconv.Itoa(a.Attempt),
		trace.WithTimestamp(end.Add(-a.Latency)), trace.WithSpanKind(trace.SpanKindClient))
	span.SetAttributes(
		attribute.String("rpc.system", "alibaba_cloud"),
		attribute.String("rpc.service", a.Product),
		attribute.String("rpc.method", a.Action),
		attribute.Int("alicloud.attempt", a.Attempt),
		attribute.Bool("alicloud.retry", a.Retry),
	)
	if a.HTTPStatus != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", a.HTTPStatus))
	}
	if a.RequestID != "" {
		span.SetAttributes(attribute.String("alicloud.request_id", a.RequestID))
	}
	if a.Retry {
		span.SetAttributes(attribute.Int64("alicloud.backoff_ms", a.Backoff.Milliseconds()))
	}
	finish(span, a.Code, a.Err, end)
}

// OnOperation ends the operation's span with the outcome, retries included.
func (h TracingHook) OnOperation(ctx context.Context, o alicloud.OperationInfo) {
	end := time.Now()
	span, ok := ctx.Value(operationSpanKey{}).(trace.Span)
	if !ok {
		// Not started by this hook (another SDK path): record it after the fact.
		_, span = h.Tracer.Start(ctx, o.Product+"/"+o.Action, trace.WithTimestamp(end.Add(-o.Latency)))
	}
	span.SetAttributes(attribute.Int("alicloud.attempts", o.Attempts))
	if o.HTTPStatus != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", o.HTTPStatus))
	}
	if o.RequestID != "" {
		span.SetAttributes(attribute.String("alicloud.request_id", o.RequestID))
	}
	finish(span, o.Code, o.Err, end)
}

func finish(span trace.Span, code string, err error, end time.Time) {
	switch {
	case code != "":
		span.SetAttributes(attribute.String("alicloud.error_code", code))
		span.SetStatus(codes.Error, code)
	case err != nil:
		span.SetStatus(codes.Error, err.Error())
	}
	span.End(trace.WithTimestamp(end))
}
