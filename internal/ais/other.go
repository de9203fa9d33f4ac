package ais

// otherMessages holds the message types that are not position or static
// reports: binary, safety, interrogation and channel management messages.
// Like the Decoder's other values, each is reused from call to call.
type otherMessages struct {
	abm    AddressedBinary    // 6
	ack    Acknowledge        // 7, 13
	bbm    BroadcastBinary    // 8
	utc    UTCInquiry         // 10
	safety SafetyMessage      // 12
	sbm    SafetyBroadcast    // 14
	inter  Interrogation      // 15
	assign AssignmentCommand  // 16
	dgnss  DGNSSBroadcast     // 17
	dlm    DataLinkManagement // 20
	chan22 ChannelManagement  // 22
	group  GroupAssignment    // 23
	single SingleSlotBinary   // 25
	multi  MultiSlotBinary    // 26

	apps    applications
	scratch []byte // unaligned binary data, copied
}

func (o *otherMessages) decode(b *bits, t int) (Message, error) {
	switch t {
	case 6:
		o.abm.decode(b, &o.apps, &o.scratch)
		return &o.abm, nil
	case 7, 13:
		o.ack.decode(b)
		return &o.ack, nil
	case 8:
		o.bbm.decode(b, &o.apps, &o.scratch)
		return &o.bbm, nil
	case 10:
		o.utc.decode(b)
		return &o.utc, nil
	case 12:
		o.safety.decode(b)
		return &o.safety, nil
	case 14:
		o.sbm.decode(b)
		return &o.sbm, nil
	case 15:
		o.inter.decode(b)
		return &o.inter, nil
	case 16:
		o.assign.decode(b)
		return &o.assign, nil
	case 17:
		o.dgnss.decode(b, &o.scratch)
		return &o.dgnss, nil
	case 20:
		o.dlm.decode(b)
		return &o.dlm, nil
	case 22:
		o.chan22.decode(b)
		return &o.chan22, nil
	case 23:
		o.group.decode(b)
		return &o.group, nil
	case 25:
		o.single.decode(b, &o.apps, &o.scratch)
		return &o.single, nil
	case 26:
		o.multi.decode(b, &o.apps, &o.scratch)
		return &o.multi, nil
	}
	return nil, ReasonUnknownType
}
