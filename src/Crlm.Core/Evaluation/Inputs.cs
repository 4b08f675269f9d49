namespace Crlm.Core.Evaluation;

/// <summary>Argument checks shared by every metric, so each reports a bad input the same way.</summary>
internal static class Inputs
{
    /// <summary>Labels and probabilities must pair up and every probability must be a finite number: NaN would
    /// make sorting, and therefore AUC and thresholds, silently depend on where it sits.</summary>
    public static void Check(ReadOnlySpan<bool> positive, ReadOnlySpan<double> probabilities)
    {
        if (positive.Length != probabilities.Length)
        {
            throw new ArgumentException(
                $"labels ({positive.Length}) and probabilities ({probabilities.Length}) differ in length",
                nameof(probabilities));
        }

        for (int i = 0; i < probabilities.Length; i++)
        {
            if (!double.IsFinite(probabilities[i]))
            {
                throw new ArgumentException($"probability {i} is {probabilities[i]}: every probability must be finite", nameof(probabilities));
            }
        }
    }

    public static int CountPositive(ReadOnlySpan<bool> positive)
    {
        int count = 0;
        foreach (bool p in positive)
        {
            if (p)
            {
                count++;
            }
        }

        return count;
    }
}
