using NotebookRunner.Execution;

namespace NotebookRunner.Charts;

/// <summary>PNG pictures of the Plotly charts among a notebook's outputs (placeholder).</summary>
public sealed class ChartImages
{
    public string? Warning { get; init; }

    public CellOutput Apply(CellOutput output) => output;

    public static Task<ChartImages> RenderAsync(IReadOnlyList<DisplayOutput> outputs, CancellationToken cancellationToken) =>
        Task.FromResult(new ChartImages());
}
