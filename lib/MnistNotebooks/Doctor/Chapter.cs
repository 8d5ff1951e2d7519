using System.Globalization;

namespace MnistNotebooks.Doctor;

/// <summary>A chapter notebook of the course: its number, its file in <c>notebooks/</c> and its title.</summary>
public sealed record Chapter(int Number, string FileName, string Title)
{
    /// <summary>The notebook's path relative to the repository root, e.g. <c>notebooks/02-raw-pixels-explode.ipynb</c>.</summary>
    public string Link => "notebooks/" + FileName;

    /// <summary>e.g. <c>02 Raw pixels blow up a linear model</c>.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Number:00} {Title}");

    public override string ToString() => $"{Label} ({Link})";
}
