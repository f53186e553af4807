namespace CallReview.Web.Features.Signals;

/// <summary>The review page's lane of suggestions: markers along the call and a list to accept or dismiss them.</summary>
public static class SignalLane
{
    /// <param name="Oob">Rendered beside another answer (the annotations panel after an accept), swapped in by its id.</param>
    public sealed record Model(int CallId, long DurationMs, IReadOnlyList<CallSignals.Item> Items, bool Oob = false)
    {
        public string BasePath => $"/review/{CallId}/signals";

        private const int MaxRows = 3;

        /// <summary>The row of each marker: the first whose markers have ended where it starts, so overlapping ones stack (at most three rows).</summary>
        public IReadOnlyDictionary<int, int> Rows { get; } = StackRows(Items);

        public int RowCount => Rows.Count == 0 ? 1 : Rows.Values.Max() + 1;

        private static Dictionary<int, int> StackRows(IReadOnlyList<CallSignals.Item> items)
        {
            var ends = new List<long>();
            var rows = new Dictionary<int, int>();
            foreach (var item in items.OrderBy(i => i.StartMs))
            {
                var row = ends.FindIndex(end => end <= item.StartMs);
                if (row < 0)
                    row = ends.Count < MaxRows ? ends.Count : ends.IndexOf(ends.Min());
                if (row == ends.Count)
                    ends.Add(0);
                ends[row] = Math.Max(item.EndMs, item.StartMs + 1);
                rows[item.Id] = row;
            }
            return rows;
        }

        public int Open => Items.Count(i => i.Status == ComputeSignals.Suggested);

        /// <summary>Where a marker sits along the lane, in percent of the call (at least a sliver wide, and inside it).</summary>
        public (double Left, double Width) Place(CallSignals.Item item)
        {
            if (DurationMs <= 0)
                return (0, 1);
            var left = Math.Clamp(100.0 * item.StartMs / DurationMs, 0, 99.4);
            var width = Math.Clamp(100.0 * (item.EndMs - item.StartMs) / DurationMs, 0.6, 100 - left);
            return (Math.Round(left, 2), Math.Round(width, 2));
        }
    }
}
