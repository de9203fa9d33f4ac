package store

import (
	"encoding/json"
	"fmt"

	"pharos/internal/picture"
)

// LayerItem is a record of the picture's layers as the store keeps it:
// the whole picture.Item (who put it, when) as the value.
func LayerItem(it picture.Item) Item {
	b, _ := json.Marshal(it) // a struct of strings, a time and JSON: cannot fail
	return Item{Kind: it.Kind, ID: it.ID, Updated: it.Updated, Value: b}
}

// LayerItem reads back a record of the picture's layers.
func (it Item) LayerItem() (picture.Item, error) {
	var p picture.Item
	if err := json.Unmarshal(it.Value, &p); err != nil {
		return p, fmt.Errorf("store: %s %s: %w", it.Kind, it.ID, err)
	}
	return p, nil
}
