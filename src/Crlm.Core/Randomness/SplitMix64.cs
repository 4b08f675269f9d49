namespace Crlm.Core.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, well-tested 64-bit generator whose
/// output is fixed by its published algorithm. We use it instead of <see cref="Random"/> because
/// "same spec + same seed = same numbers on any machine" needs a generator whose sequence no
/// runtime update can change.
/// </summary>
/// <remarks>Not thread-safe: give each parallel work item its own instance (see <see cref="Derive"/>).</remarks>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    /// <summary>
    /// An independent stream for a named sub-task, e.g. ("split", site, label): adding a site does
    /// not change the random numbers drawn for the others.
    /// </summary>
    public static SplitMix64 Derive(long seed, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ulong h = Mix(unchecked((ulong)seed));
        foreach (string key in keys)
        {
            h = Mix(h ^ StableHash.Fnv1a64(key));
        }

        return new SplitMix64(h);
    }

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound), unbiased (rejection sampling on the top of the range).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong b = (ulong)bound;
        ulong limit = ulong.MaxValue - (ulong.MaxValue % b);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % b);
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int n = items.Count - 1; n > 0; n--)
        {
            int m = NextInt(n + 1);
            (items[n], items[m]) = (items[m], items[n]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}

/// <summary>Hashes that are the same on every machine and runtime (unlike string.GetHashCode).</summary>
public static class StableHash
{
    /// <summary>64-bit FNV-1a over the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }

        return hash;
    }
}
