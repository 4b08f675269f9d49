namespace Crlm.Tabular.Encoders;

/// <summary>How an encoder's spatial feature map [N, C, D, H, W] becomes one vector per sample.</summary>
public enum PoolingMethod
{
    /// <summary>Mean over D, H, W (global average pooling, as the published FMs' heads do). The default.</summary>
    Average,

    /// <summary>Maximum over D, H, W.</summary>
    Max,
}

/// <summary>Global pooling of feature maps stored as [N, C, spatial...] in C order, accumulated in double.</summary>
public static class FeaturePooling
{
    /// <summary>
    /// Pools sample <paramref name="sample"/> of a [N, C, S] buffer (S = product of the spatial dims; S = 1 for
    /// models that already output vectors) into <paramref name="destination"/> (C values).
    /// </summary>
    public static void Pool(ReadOnlySpan<float> featureMap, int samples, int channels, int sample, PoolingMethod method, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, samples);
        if (featureMap.Length % (samples * channels) != 0)
        {
            throw new ArgumentException($"{featureMap.Length} values are not {samples} samples x {channels} channels x a whole spatial size", nameof(featureMap));
        }

        if (destination.Length != channels)
        {
            throw new ArgumentException($"{destination.Length} slots for {channels} channels", nameof(destination));
        }

        int spatial = featureMap.Length / (samples * channels);
        for (int c = 0; c < channels; c++)
        {
            var values = featureMap.Slice((sample * channels + c) * spatial, spatial);
            if (method == PoolingMethod.Max)
            {
                float max = float.NegativeInfinity;
                foreach (float v in values)
                {
                    max = Math.Max(max, v);
                }

                destination[c] = max;
            }
            else
            {
                double sum = 0;
                foreach (float v in values)
                {
                    sum += v;
                }

                destination[c] = (float)(sum / spatial);
            }
        }
    }
}
