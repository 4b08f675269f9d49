namespace Crlm.Core.Evaluation;

/// <summary>Counts at one threshold; sklearn lays the same numbers out as [[Tn, Fp], [Fn, Tp]].</summary>
public readonly record struct ConfusionMatrix(int Tn, int Fp, int Fn, int Tp)
{
    public int Total => Tn + Fp + Fn + Tp;

    /// <summary>Predicted positive ⇔ probability ≥ <paramref name="threshold"/>.</summary>
    public static ConfusionMatrix At(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, double threshold)
    {
        Inputs.Check(positive, probabilities);
        return Count(positive, probabilities, threshold);
    }

    internal static ConfusionMatrix Count(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities, double threshold)
    {
        int tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < positive.Length; i++)
        {
            bool predicted = probabilities[i] >= threshold;
            if (positive[i])
            {
                if (predicted)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionMatrix(tn, fp, fn, tp);
    }
}
