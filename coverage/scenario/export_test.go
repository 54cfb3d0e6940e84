package scenario

import "time"

// SetClock makes st read the time from now.
func SetClock(st *Store, now func() time.Time) { st.now = now }
