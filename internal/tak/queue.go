package tak

// queue holds what waits to be sent: at most a fixed number of values, one
// per key, oldest first. It is not safe for concurrent use.
//
// A value put under a key already waiting replaces the waiting one in its
// place: only a track's newest state matters to a map, and a track that
// updates every second keeps its turn instead of going to the back, where
// under load it could wait for ever. A new key put into a full queue
// pushes out the value that has waited longest.
type queue[K comparable, V any] struct {
	ring []entry[K, V]
	head int       // index in ring of the oldest entry
	n    int       // entries waiting
	slot map[K]int // index in ring of each waiting key
}

type entry[K comparable, V any] struct {
	key K
	val V
}

func newQueue[K comparable, V any](size int) *queue[K, V] {
	return &queue[K, V]{ring: make([]entry[K, V], size), slot: make(map[K]int, size)}
}

// put adds v under k, replacing what waits under k (coalesced) or, in a
// full queue, pushing out the oldest entry (dropped).
func (q *queue[K, V]) put(k K, v V) (coalesced, dropped bool) {
	if i, ok := q.slot[k]; ok {
		q.ring[i].val = v
		return true, false
	}
	if q.n == len(q.ring) {
		q.pop()
		dropped = true
	}
	i := (q.head + q.n) % len(q.ring)
	q.ring[i] = entry[K, V]{k, v}
	q.slot[k] = i
	q.n++
	return false, dropped
}

// pop takes the oldest entry out.
func (q *queue[K, V]) pop() (v V, ok bool) {
	if q.n == 0 {
		return v, false
	}
	e := &q.ring[q.head]
	v = e.val
	delete(q.slot, e.key)
	*e = entry[K, V]{} // let go of what the value refers to
	q.head = (q.head + 1) % len(q.ring)
	q.n--
	return v, true
}

// unpop puts back, as the oldest, an entry taken out whose sending
// failed. A newer value under k waiting already wins (coalesced); a full
// queue has no room for something older than all it holds (dropped).
func (q *queue[K, V]) unpop(k K, v V) (coalesced, dropped bool) {
	if _, ok := q.slot[k]; ok {
		return true, false
	}
	if q.n == len(q.ring) {
		return false, true
	}
	q.head = (q.head - 1 + len(q.ring)) % len(q.ring)
	q.ring[q.head] = entry[K, V]{k, v}
	q.slot[k] = q.head
	q.n++
	return false, false
}
