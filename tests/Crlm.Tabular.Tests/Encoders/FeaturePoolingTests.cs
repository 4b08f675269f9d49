using Crlm.Tabular.Encoders;

namespace Crlm.Tabular.Tests.Encoders;

public sealed class FeaturePoolingTests
{
    // [N = 2, C = 2, S = 3]
    private static readonly float[] Map = [1, 2, 3, 10, 20, 30, -1, -2, -6, 0, 0, 9];

    [Fact]
    public void Average_and_max_pool_each_sample_and_channel()
    {
        var v = new float[2];
        FeaturePooling.Pool(Map, 2, 2, 0, PoolingMethod.Average, v);
        Assert.Equal([2f, 20f], v);
        FeaturePooling.Pool(Map, 2, 2, 1, PoolingMethod.Average, v);
        Assert.Equal([-3f, 3f], v);
        FeaturePooling.Pool(Map, 2, 2, 1, PoolingMethod.Max, v);
        Assert.Equal([-1f, 9f], v);
    }

    [Fact]
    public void Vectors_pool_to_themselves_and_bad_shapes_are_refused()
    {
        var v = new float[3];
        FeaturePooling.Pool([1, 2, 3, 4, 5, 6], 2, 3, 1, PoolingMethod.Average, v);
        Assert.Equal([4f, 5f, 6f], v);
        Assert.Throws<ArgumentException>(() => FeaturePooling.Pool(new float[7], 2, 3, 0, PoolingMethod.Average, v));
    }
}
