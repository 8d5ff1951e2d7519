using MnistNotebooks.Course;
using MnistNotebooks.Data;

namespace MnistNotebooks.Tests.Course;

public sealed class OneHotTests
{
    [Fact]
    public void IsTheIdentityMatrixsRowsAtTheLabels()
    {
        int[] labels = [3, 0, 9, 3, 7];
        Matrix<double> y = OneHot.Of(labels);
        Assert.Equal((5, 10), (y.Rows, y.Cols));
        for (int r = 0; r < labels.Length; r++)
        {
            for (int c = 0; c < 10; c++)
            {
                Assert.Equal(c == labels[r] ? 1.0 : 0.0, y[r, c]); // np.eye(10)[labels]
            }
        }
    }

    [Fact]
    public void AgreesWithTheSetsOwnEncoding()
    {
        int[] labels = [1, 4, 1, 5, 9, 2];
        var set = new MnistSet(new byte[labels.Length * 784], labels);
        Assert.Equal(set.OneHotLabels<double>().Data, OneHot.Of(labels).Data);
    }

    [Fact]
    public void RejectsALabelOutsideTheClasses()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Of([0, 3], classes: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Of([-1]));
        Assert.Equal((0, 4), (OneHot.Of([], 4).Rows, OneHot.Of([], 4).Cols));
    }
}
