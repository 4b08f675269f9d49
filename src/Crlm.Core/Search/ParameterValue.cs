using System.Globalization;

namespace Crlm.Core.Search;

/// <summary>A sampled value: a number (int parameters hold whole numbers) or a categorical choice.</summary>
public readonly record struct ParameterValue
{
    private ParameterValue(double number, string? choice)
    {
        Number = number;
        Choice = choice;
    }

    /// <summary>The numeric value; NaN for a categorical value.</summary>
    public double Number { get; }

    /// <summary>The chosen string; null for a numeric value.</summary>
    public string? Choice { get; }

    public bool IsCategorical => Choice is not null;

    public static ParameterValue FromNumber(double number) => new(number, null);

    public static ParameterValue FromChoice(string choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return new(double.NaN, choice);
    }

    /// <summary>The value of an int parameter; throws if the number is not a whole number in int range.</summary>
    public int AsInt()
    {
        if (IsCategorical || Number != Math.Floor(Number) || Number < int.MinValue || Number > int.MaxValue)
        {
            throw new InvalidOperationException($"{this} is not an integer value.");
        }

        return (int)Number;
    }

    public override string ToString() =>
        Choice ?? Number.ToString("R", CultureInfo.InvariantCulture);
}
