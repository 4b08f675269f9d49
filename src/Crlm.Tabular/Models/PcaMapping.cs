using Microsoft.ML;
using Microsoft.ML.Data;

namespace Crlm.Tabular.Models;

/// <summary>
/// A fitted <see cref="PrincipalComponents"/> as an ML.NET transformer: a CustomMapping that replaces the
/// Features vector (d values) by its PCA scores (k values) under the same column name, so the logistic
/// regression that follows reads Features as it did when it was trained.
/// </summary>
/// <remarks>
/// No contract name: ML.NET cannot save this mapping by itself (it would need a parameterless factory,
/// but the mapping carries the fitted matrix). <see cref="BenchmarkModel.Save"/> stores the matrix in its
/// own archive entry and rebuilds the mapping on load.
/// </remarks>
public static class PcaMapping
{
    public sealed class Input
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class Output
    {
        public float[] Features { get; set; } = [];
    }

    public static ITransformer Create(MLContext ml, PrincipalComponents pca)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(pca);
        int d = pca.Dimension;
        int k = pca.ComponentCount;
        var inputSchema = SchemaDefinition.Create(typeof(Input));
        inputSchema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        var outputSchema = SchemaDefinition.Create(typeof(Output));
        outputSchema[nameof(Output.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        var estimator = ml.Transforms.CustomMapping<Input, Output>(
            (input, output) =>
            {
                Span<double> row = d <= 1024 ? stackalloc double[d] : new double[d];
                Span<double> scores = k <= 1024 ? stackalloc double[k] : new double[k];
                for (int j = 0; j < d; j++)
                {
                    row[j] = input.Features[j];
                }

                pca.Project(row, scores);
                var result = new float[k];
                for (int c = 0; c < k; c++)
                {
                    result[c] = (float)scores[c];
                }

                output.Features = result;
            },
            contractName: null,
            inputSchema,
            outputSchema);
        return estimator.Fit(ml.Data.LoadFromEnumerable(Array.Empty<Input>(), inputSchema));
    }
}
