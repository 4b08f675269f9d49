namespace Crlm.Reporting.Sections;

/// <summary>An RGB picture, 3 bytes a pixel, row-major with the top row first (as <see cref="Crlm.Core.IO.PngEncoder.Rgb"/> takes it).</summary>
internal sealed record RgbRaster(int Width, int Height, byte[] Pixels)
{
    public RgbRaster(int width, int height)
        : this(width, height, new byte[checked(width * height * 3)])
    {
    }

    public bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    public Rgb this[int x, int y]
    {
        get
        {
            int o = 3 * (y * Width + x);
            return new Rgb(Pixels[o], Pixels[o + 1], Pixels[o + 2]);
        }

        set
        {
            int o = 3 * (y * Width + x);
            (Pixels[o], Pixels[o + 1], Pixels[o + 2]) = (value.R, value.G, value.B);
        }
    }
}

/// <summary>One colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Grey(byte level) => new(level, level, level);
}
