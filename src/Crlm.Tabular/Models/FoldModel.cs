namespace Crlm.Tabular.Models;

/// <summary>
/// What one cross-validation fold fits (<see cref="BenchmarkModelTrainer.FitFold"/>): scaler offset and scale,
/// PCA and the array-fitted classifier (<see cref="ArrayLogisticRegression"/>), predicting from arrays exactly as <see cref="BenchmarkModel.PredictProbabilities(ReadOnlySpan{float}, Span{double})"/>
/// does, without the ML.NET scaler transformer a saved model needs.
/// </summary>
internal sealed record FoldModel(float[] Offset, float[] Scale, PrincipalComponents Pca, double[] Coefficients, double Bias)
{
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<double> probabilities)
    {
        if (features.Length != probabilities.Length * Offset.Length)
        {
            throw new ArgumentException($"expected {probabilities.Length} rows of {Offset.Length} features, got {features.Length} values", nameof(features));
        }

        BenchmarkModel.Predict(features, Offset, Scale, Pca, Coefficients, Bias, probabilities);
    }
}
