using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Crlm.Core.IO;

/// <summary>
/// Minimal 8-bit PNG encoder (greyscale or RGB), for the synthetic gallery and the report's sample slices. Chunks:
/// IHDR, one zlib IDAT, IEND. Each row takes the PNG filter with the smallest sum of absolute residuals (the usual
/// heuristic): smooth, noisy CT panels compress about a quarter smaller than unfiltered.
/// </summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>One byte per pixel, rows top to bottom.</summary>
    public static byte[] Gray(byte[] pixels, int width, int height) => Encode(pixels, width, height, channels: 1);

    /// <summary>Three bytes (red, green, blue) per pixel, rows top to bottom.</summary>
    public static byte[] Rgb(byte[] pixels, int width, int height) => Encode(pixels, width, height, channels: 3);

    private static byte[] Encode(byte[] pixels, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int stride = width * channels;
        if (pixels.Length != stride * height)
        {
            throw new ArgumentException($"{pixels.Length} bytes for {width}x{height} with {channels} channel(s)");
        }

        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2); // greyscale or truecolour
        Chunk(file, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var zlib = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                var previous = new byte[stride];
                var row = new byte[stride];
                var best = new byte[stride];
                var trial = new byte[stride];
                for (int y = 0; y < height; y++)
                {
                    Array.Copy(pixels, y * stride, row, 0, stride);
                    long bestCost = long.MaxValue;
                    byte bestType = 0;
                    for (byte type = 0; type <= 4; type++)
                    {
                        long cost = Filter(type, channels, row, previous, trial);
                        if (cost < bestCost)
                        {
                            bestCost = cost;
                            bestType = type;
                            (best, trial) = (trial, best);
                        }
                    }

                    zlib.WriteByte(bestType);
                    zlib.Write(best, 0, stride);
                    (previous, row) = (row, previous);
                }
            }

            Chunk(file, "IDAT", raw.ToArray());
        }

        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Applies PNG filter <paramref name="type"/> (0 none, 1 sub, 2 up, 3 average, 4 Paeth) to one row; returns the sum of |residual| as signed bytes.</summary>
    private static long Filter(byte type, int bytesPerPixel, byte[] row, byte[] previous, byte[] output)
    {
        long cost = 0;
        for (int x = 0; x < row.Length; x++)
        {
            bool hasLeft = x >= bytesPerPixel;
            int a = hasLeft ? row[x - bytesPerPixel] : 0, b = previous[x], c = hasLeft ? previous[x - bytesPerPixel] : 0;
            int predictor = type switch
            {
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            byte residual = (byte)(row[x] - predictor);
            output[x] = residual;
            cost += Math.Abs((int)(sbyte)residual);
        }

        return cost;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in typeBytes.Concat(data))
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc ^ 0xFFFFFFFFu);
        output.Write(crcBytes);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
