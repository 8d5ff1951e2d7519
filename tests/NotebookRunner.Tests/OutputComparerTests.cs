using System.Text.Json.Nodes;
using NotebookRunner.Checking;

namespace NotebookRunner.Tests;

/// <summary>A mismatch report points at the first difference, with the text around it, however long the output.</summary>
public sealed class OutputComparerTests
{
    static readonly Tolerance Tight = new(1e-6, 1e-9);

    static JsonObject Html(string html) =>
        new()
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject { ["text/html"] = html },
            ["metadata"] = new JsonObject(),
        };

    static string Chart(string y) =>
        "<div id=\"a\"></div><script>"
        + new string('x', 500)
        + "var data = [{\"y\":[1,2,"
        + y
        + ",4]}];"
        + new string('z', 500)
        + "</script>";

    [Fact]
    public void A_number_deep_inside_a_long_payload_is_reported_with_its_context()
    {
        var message = OutputComparer.Compare([Html(Chart("3.0"))], [Html(Chart("3.5"))], Tight);
        Assert.NotNull(message);
        Assert.Contains("number 3 differs beyond the tolerance", message);
        Assert.Contains("expected 3.0 but got 3.5", message);
        Assert.Contains("[1,2,«3.5»,4]", message);
    }

    [Fact]
    public void Numbers_within_the_tolerance_match()
    {
        Assert.Null(OutputComparer.Compare([Html(Chart("3.0"))], [Html(Chart("3.0000001"))], Tight));
    }

    [Fact]
    public void A_text_difference_is_reported_where_it_starts()
    {
        var message = OutputComparer.Compare([Html(Chart("3") + "tail one")], [Html(Chart("3") + "tail two")], Tight);
        Assert.NotNull(message);
        Assert.Contains("text differs at character", message);
        Assert.Contains("«o»ne", message);
        Assert.Contains("«t»wo", message);
    }
}
