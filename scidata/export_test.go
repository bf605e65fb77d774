package scidata

import "context"

// WithDataset makes one call use ds in place of the registry entry of the same
// name (for data sets whose files tests generate, with their own checksums).
func WithDataset(ds Dataset) Option {
	return func(c *config) {
		if c.datasets == nil {
			c.datasets = map[string]Dataset{}
		}
		c.datasets[ds.Name] = ds
	}
}

// LoadIDXTrain loads only the training split of an MNIST-like data set, as the
// benchmark against zcat needs.
func LoadIDXTrain(ctx context.Context, name string, opts ...Option) (Split, error) {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return Split{}, err
	}
	return loadIDXSplit(ctx, c, ds, trainImages, trainLabels)
}
