using MnistNotebooks.Initialization;
using MnistNotebooks.Layers;

namespace MnistNotebooks.Tests.Layers;

/// <summary>Backward without the first layer's input gradient (what Trainer calls) accumulates exactly the parameter
/// gradients that the full Backward does.</summary>
public sealed class ParameterBackwardTests
{
    [Fact]
    public void SequentialBackwardParametersOnlyGivesBitIdenticalGradients()
    {
        var rng = new Random(3);
        var x = new Matrix(7, 9);
        var dy = new Matrix(7, 4);
        for (int i = 0; i < x.Length; i++)
        {
            x.Data[i] = rng.NextSingle() - 0.5f;
        }
        for (int i = 0; i < dy.Length; i++)
        {
            dy.Data[i] = rng.NextSingle() - 0.5f;
        }
        Sequential Model() =>
            new(new Dense(9, 5, new He(), new Random(1), new Normal(0.1)), new Relu(), new Dense(5, 4, new He(), new Random(2)));
        Sequential full = Model(),
            partial = Model();

        full.Forward(x);
        full.Backward(dy);
        partial.Forward(x);
        partial.BackwardParametersOnly(dy);

        Assert.Equal(4, partial.Parameters.Count);
        for (int i = 0; i < full.Parameters.Count; i++)
        {
            Assert.Equal(full.Parameters[i].Gradient.Data, partial.Parameters[i].Gradient.Data);
            Assert.Contains(partial.Parameters[i].Gradient.Data, g => g != 0);
        }
    }
}
