using System.Globalization;
using Piramid.Engine.Collections;

namespace Piramid.Engine.Tests.Ingest;

/// <summary>Link workers run below request handling: a worker thread's nice value, read back from /proc, is 10.</summary>
public sealed class LinkerThreadTests
{
    [Fact]
    public void LowerPriority_GivesTheCallingThreadANiceValueOfTen_AndNoOtherThread()
    {
        int worker = 0, other = NiceOfCurrentThread();
        var thread = new Thread(() =>
        {
            LinkerThread.LowerPriority();
            worker = NiceOfCurrentThread();
        });
        thread.Start();
        thread.Join();

        Assert.Equal(10, worker);
        Assert.Equal(other, NiceOfCurrentThread());
    }

    // Field 19 of /proc/thread-self/stat is the nice value; the fields after the command's closing parenthesis start at 3.
    private static int NiceOfCurrentThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }
}
