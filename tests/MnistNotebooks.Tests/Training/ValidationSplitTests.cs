using MnistNotebooks.Training;

namespace MnistNotebooks.Tests.Training;

public sealed class ValidationSplitTests
{
    [Fact]
    public void SplitIsASeededPartitionKeepingRowsWithTheirLabels()
    {
        var x = new Matrix<float>(20, 2);
        int[] labels = Enumerable.Range(0, 20).ToArray();
        for (int r = 0; r < 20; r++)
        {
            x[r, 0] = r;
        }

        ValidationSplit<float> split = ValidationSplit<float>.Create(x, labels, 0.3, seed: 5);

        Assert.Equal((14, 6), (split.TrainX.Rows, split.ValidationX.Rows));
        Assert.Equal(Enumerable.Range(0, 20), split.TrainIndices.Concat(split.ValidationIndices).Order());
        Assert.Equal(split.ValidationIndices.Order(), split.ValidationIndices);
        Assert.Equal(split.ValidationIndices, split.ValidationLabels);
        Assert.Equal(split.TrainIndices.Select(i => (float)i), Enumerable.Range(0, 14).Select(r => split.TrainX[r, 0]));
        Assert.Equal(split.ValidationIndices, ValidationSplit<float>.Create(x, labels, 0.3, seed: 5).ValidationIndices);
        Assert.NotEqual(split.ValidationIndices, ValidationSplit<float>.Create(x, labels, 0.3, seed: 6).ValidationIndices);
        Assert.Throws<ArgumentException>(() => ValidationSplit<float>.Create(x, labels, 0.01, seed: 5));
        // The held-out rows are the first 6 of numpy's permutation(20) with seed 5, sorted.
        Assert.Equal(new MnistNotebooks.Randomness.RandomState(5).Permutation(20)[..6].Order(), split.ValidationIndices);
    }
}
