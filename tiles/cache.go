package tiles

import (
	"container/list"
	"sync"
)

// Cache is an LRU of encoded tiles bounded by total bytes. Keys carry the
// snapshot version and parameters, so a reload invalidates by construction.
type Cache struct {
	mu    sync.Mutex
	max   int
	bytes int
	ll    *list.List
	items map[string]*list.Element
}

type entry struct {
	key string
	val []byte
}

// NewCache returns a cache holding at most maxBytes of tiles.
func NewCache(maxBytes int) *Cache {
	return &Cache{max: maxBytes, ll: list.New(), items: map[string]*list.Element{}}
}

// Get returns a cached tile (nil is a cached empty tile) and whether it was there.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*entry).val, true
	}
	return nil, false
}

// Put stores a tile, evicting the least recently used beyond the size.
func (c *Cache) Put(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.bytes += len(val) - len(e.Value.(*entry).val)
		e.Value.(*entry).val = val
		c.ll.MoveToFront(e)
	} else {
		c.items[key] = c.ll.PushFront(&entry{key, val})
		c.bytes += len(val) + len(key)
	}
	for c.bytes > c.max && c.ll.Len() > 1 {
		e := c.ll.Back()
		en := e.Value.(*entry)
		c.ll.Remove(e)
		delete(c.items, en.key)
		c.bytes -= len(en.val) + len(en.key)
	}
}
