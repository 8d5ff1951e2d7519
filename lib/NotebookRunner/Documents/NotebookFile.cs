namespace NotebookRunner.Documents;

/// <summary>
/// Writing a notebook back without losing anything: through a symlink to its target, never over a read-only file,
/// never over edits saved while the run went on, and atomically (a temp file beside it, then a move).
/// </summary>
public sealed class NotebookFile
{
    readonly byte[] _original;

    NotebookFile(string path, string target, byte[] original)
    {
        Path = path;
        Target = target;
        _original = original;
    }

    public string Path { get; }

    /// <summary>The file a write goes to: the symlink's final target, else the path itself.</summary>
    public string Target { get; }

    public string Text => System.Text.Encoding.UTF8.GetString(_original);

    /// <summary>Reads the file and remembers its bytes, to see later whether someone changed it.</summary>
    public static NotebookFile Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var target = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        return new NotebookFile(full, target, File.ReadAllBytes(target));
    }

    /// <summary>Null when the file can be written back, else why not.</summary>
    public string? WhyNotWritable()
    {
        var info = new FileInfo(Target);
        if (info.IsReadOnly || (!OperatingSystem.IsWindows() && (info.UnixFileMode & UnixFileMode.UserWrite) == 0))
            return $"{Path} is read-only: not updated (make it writable to store outputs)";
        return null;
    }

    /// <summary>Writes <paramref name="text"/> unless the file changed since <see cref="Open"/>; keeps the file's mode.</summary>
    public void Write(string text)
    {
        if (WhyNotWritable() is { } readOnly)
            throw new IOException(readOnly);
        if (!File.ReadAllBytes(Target).AsSpan().SequenceEqual(_original))
            throw new IOException($"{Path} changed on disk while it ran: not overwritten (run update again to store its outputs)");
        var folder = System.IO.Path.GetDirectoryName(Target)!;
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(Target));
            File.Move(temp, Target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
