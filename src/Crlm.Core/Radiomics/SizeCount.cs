namespace Crlm.Core.Radiomics;

/// <summary>One non-zero entry of a run-length or size-zone matrix: <paramref name="Count"/> runs (zones) of grey level <paramref name="Level"/> and length (size) <paramref name="Size"/>.</summary>
public readonly record struct SizeCount(int Level, int Size, long Count);
