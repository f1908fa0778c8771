package metrics

import "context"

type progressKey struct{}

// WithProgress returns a context under which every Compute calls tick once it is
// done, so that a long report can show how far it is.
func WithProgress(ctx context.Context, tick func()) context.Context {
	return context.WithValue(ctx, progressKey{}, tick)
}

func ticked(ctx context.Context) {
	if tick, ok := ctx.Value(progressKey{}).(func()); ok {
		tick()
	}
}
