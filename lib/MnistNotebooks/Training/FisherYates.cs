namespace MnistNotebooks.Training;

/// <summary>The Fisher–Yates shuffle: for i = n−1 … 1, swap items[i] with items[j], j uniform in 0..i.
/// Every permutation is equally likely; the same <see cref="Random"/> seed gives the same permutation.</summary>
public static class FisherYates
{
    public static void Shuffle<T>(Span<T> items, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
