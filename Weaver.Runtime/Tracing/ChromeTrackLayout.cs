using System;
using System.Collections.Generic;

namespace Trapweave.Tracing;

/// <summary>
/// Puts every call of a trace on a track (a Chrome "thread") so that complete events on each track
/// nest strictly, as Perfetto and chrome://tracing require. Each flow gets its own tracks: a call
/// goes on its parent's track when it lies inside the parent and no sibling is still open there;
/// otherwise (parallel siblings, an async call outliving its caller) it goes, as a top-level event,
/// on the flow's first track free at its start, or a new one. Nothing is clipped: a track of its own
/// shows the true duration.
/// </summary>
internal static class ChromeTrackLayout
{
    public sealed class Placed
    {
        public Placed(TraceCall call, TraceCall? parent, int track)
        {
            Call = call;
            Parent = parent;
            Track = track;
        }

        public readonly TraceCall Call;
        public readonly TraceCall? Parent;
        /// <summary>Index into <see cref="Layout.Tracks"/>.</summary>
        public readonly int Track;
        /// <summary>The event this one nests in on its track, if any (its parent, when on the parent's track).</summary>
        public Placed? Enclosing;
        /// <summary>The emitted times in µs (set by the writer, used to keep nesting exact after rounding).</summary>
        public double TsUs, DurUs;
    }

    public sealed class Track
    {
        public Track(long flowId, int lane)
        {
            FlowId = flowId;
            Lane = lane;
        }

        public readonly long FlowId;
        /// <summary>0 for the flow's main track, 1… for the extra ones.</summary>
        public readonly int Lane;
        public readonly Stack<Placed> Open = new();
    }

    public sealed class Layout
    {
        public readonly List<Track> Tracks = new();
        /// <summary>In start order (ties: enclosing calls first).</summary>
        public readonly List<Placed> Events = new();
    }

    public static Layout Build(CallTrace trace)
    {
        var layout = new Layout();
        var calls = new List<(TraceCall Call, TraceCall? Parent, int Depth)>();
        var stack = new Stack<(TraceCall Call, TraceCall? Parent, int Depth)>();
        for (int i = trace.Roots.Count - 1; i >= 0; i--) stack.Push((trace.Roots[i], null, 0));
        while (stack.Count > 0)
        {
            var item = stack.Pop();
            calls.Add(item);
            for (int i = item.Call.Children.Count - 1; i >= 0; i--) stack.Push((item.Call.Children[i], item.Call, item.Depth + 1));
        }
        // Start order; at equal starts the longer (then the shallower) first, so an enclosing call is open before what it encloses.
        calls.Sort((a, b) =>
        {
            int c = a.Call.StartNs.CompareTo(b.Call.StartNs);
            if (c != 0) return c;
            c = b.Call.EndNs.CompareTo(a.Call.EndNs);
            return c != 0 ? c : a.Depth.CompareTo(b.Depth);
        });

        var placedByCall = new Dictionary<TraceCall, Placed>(ReferenceEqualityComparer.Instance);
        var tracksByFlow = new Dictionary<long, List<int>>();
        foreach (var (call, parent, _) in calls)
        {
            if (!tracksByFlow.TryGetValue(call.FlowId, out var flowTracks)) tracksByFlow[call.FlowId] = flowTracks = new List<int>();
            Placed? parentPlaced = parent is not null && parent.FlowId == call.FlowId && placedByCall.TryGetValue(parent, out var p) ? p : null;

            int chosen = -1;
            Placed? enclosing = null;
            if (parentPlaced is not null)
            {
                var track = layout.Tracks[parentPlaced.Track];
                CloseBefore(track, call.StartNs, keep: parentPlaced);
                if (track.Open.Count > 0 && ReferenceEquals(track.Open.Peek(), parentPlaced) && call.EndNs <= parent!.EndNs)
                {
                    chosen = parentPlaced.Track;
                    enclosing = parentPlaced;
                }
            }
            if (chosen < 0)
            {
                foreach (var index in flowTracks)
                {
                    var track = layout.Tracks[index];
                    CloseBefore(track, call.StartNs, keep: null);
                    if (track.Open.Count == 0) { chosen = index; break; }
                }
            }
            if (chosen < 0)
            {
                chosen = layout.Tracks.Count;
                layout.Tracks.Add(new Track(call.FlowId, flowTracks.Count));
                flowTracks.Add(chosen);
            }
            var placed = new Placed(call, parent, chosen) { Enclosing = enclosing };
            layout.Tracks[chosen].Open.Push(placed);
            placedByCall[call] = placed;
            layout.Events.Add(placed);
        }
        foreach (var track in layout.Tracks) track.Open.Clear();
        return layout;
    }

    /// <summary>
    /// Closes the events that ended by <paramref name="startNs"/> (calls come in start order, so they
    /// stay closed), down to <paramref name="keep"/>: a parent ending at the instant its last child starts still encloses it.
    /// </summary>
    static void CloseBefore(Track track, long startNs, Placed? keep)
    {
        while (track.Open.Count > 0 && !ReferenceEquals(track.Open.Peek(), keep) && track.Open.Peek().Call.EndNs <= startNs) track.Open.Pop();
    }
}
