using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Crlm.Core.Imaging;
using Crlm.Tabular.Encoders;

// OnnxThroughput MODEL.onnx INPUTS.bin SCANS D H W BATCH THREADS
// Embeds SCANS volumes (float32 little-endian [SCANS, D, H, W]) with the production OnnxEncoder (ML.NET's
// OnnxTransformer, batched) and prints one JSON object: scans/s after one warm-up batch, and the first embedding.
if (args.Length != 8)
{
    Console.Error.WriteLine("usage: OnnxThroughput MODEL.onnx INPUTS.bin SCANS D H W BATCH THREADS");
    return 2;
}

string model = args[0];
int scans = int.Parse(args[2], CultureInfo.InvariantCulture);
var size = new Int3(int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
int batch = int.Parse(args[6], CultureInfo.InvariantCulture);
int threads = int.Parse(args[7], CultureInfo.InvariantCulture);
byte[] bytes = File.ReadAllBytes(args[1]);
int voxels = (int)size.Product;
var volumes = new float[scans][];
for (int s = 0; s < scans; s++)
{
    volumes[s] = new float[voxels];
    for (int v = 0; v < voxels; v++)
    {
        volumes[s][v] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((s * voxels + v) * 4));
    }
}

using var encoder = new OnnxEncoder(new OnnxEncoderOptions { ModelPath = model, BatchSize = batch, IntraOpThreads = threads, InterOpThreads = 1 });
encoder.Embed(volumes.Take(batch).ToArray(), size);
var watch = Stopwatch.StartNew();
var embeddings = encoder.Embed(volumes, size);
double seconds = watch.Elapsed.TotalSeconds;
Console.WriteLine(JsonSerializer.Serialize(new
{
    scans,
    seconds,
    scans_per_s = scans / seconds,
    threads,
    first_embedding = embeddings[0].Select(v => (double)v).ToArray(),
}));
return 0;
