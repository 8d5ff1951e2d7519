using NotebookRunner.Documents;

namespace NotebookRunner.Tests;

public sealed class IpynbRoundTripTests
{
    [Theory]
    [InlineData("vscode-roundtrip.ipynb")]
    [InlineData("numeric-tolerance.ipynb")]
    [InlineData("succeed.ipynb")]
    public void A_vscode_written_notebook_is_written_back_byte_for_byte(string name)
    {
        var path = Fixture.Source(name);
        var text = File.ReadAllText(path);
        var notebook = NotebookReader.Read(path);
        Assert.Equal(text, IpynbWriter.Serialize(notebook, VsCodeJson.DetectIndent(text)));
    }

    [Fact]
    public void Lines_keep_their_newline_except_the_last()
    {
        Assert.Equal(["a\n", "b"], VsCodeJson.Lines("a\nb").Select(n => (string)n!));
        Assert.Equal(["a\n", "b\n"], VsCodeJson.Lines("a\nb\n").Select(n => (string)n!));
        Assert.Empty(VsCodeJson.Lines(""));
    }

    [Fact]
    public void Dib_cells_split_on_kernel_lines_and_meta_is_metadata()
    {
        var notebook = NotebookReader.Read(Fixture.Source("succeed.dib"));
        Assert.Equal(["markdown", "csharp", "csharp"], notebook.Cells.Select(c => c.KernelName));
        Assert.Equal("#!time\ntotal * 2", notebook.Cells[2].Source);
        Assert.Equal("csharp", (string?)notebook.Metadata["kernelInfo"]!["defaultKernelName"]);
    }
}
