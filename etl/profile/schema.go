package profile

import "github.com/fenliu/fenliu/domain"

// Kind is the kind of an export: calls (警情) or orders (联动工单).
type Kind string

// The two kinds of export (SPEC §2.1, §2.2).
const (
	Calls  Kind = "calls"
	Orders Kind = "orders"
)

// Type is how a field's cell is parsed.
type Type int

// Field types. ID is text folded with NFKC; Phone is turned into a key and a mask.
const (
	Text Type = iota
	ID
	Timestamp
	Bool
	Enum
	Phone
)

// Field is one canonical field of SPEC §2, in the SPEC's order (which is also the
// order in which a row's fields are checked: the first failing one is recorded).
type Field struct {
	Name     string
	Type     Type
	Required bool
	Header   string   // the default Chinese header
	Values   []string // allowed values of an Enum
}

// CallFields are the fields of a call export (SPEC §2.1).
var CallFields = []Field{
	{Name: "call_id", Type: ID, Required: true, Header: "警情编号"},
	{Name: "received_at", Type: Timestamp, Required: true, Header: "报警时间"},
	{Name: "caller_phone", Type: Phone, Header: "报警电话"},
	{Name: "address", Type: Text, Header: "事发地址"},
	{Name: "county", Type: Text, Header: "所属区县"},
	{Name: "town", Type: Text, Header: "所属乡镇街道"},
	{Name: "village", Type: Text, Header: "所属村社区"},
	{Name: "police_station", Type: Text, Header: "管辖单位"},
	{Name: "category", Type: Text, Required: true, Header: "警情类别"},
	{Name: "subcategory", Type: Text, Header: "警情细类"},
	{Name: "nature", Type: Enum, Header: "警情性质", Values: domain.Names(domain.Natures)},
	{Name: "valid", Type: Bool, Header: "是否有效"},
	{Name: "disposition", Type: Text, Header: "处警结果"},
	{Name: "summary", Type: Text, Header: "简要警情"},
}

// OrderFields are the fields of a work-order export (SPEC §2.2).
var OrderFields = []Field{
	{Name: "order_id", Type: ID, Required: true, Header: "工单编号"},
	{Name: "call_id", Type: ID, Header: "警情编号"},
	{Name: "source", Type: Text, Header: "来源"},
	{Name: "dispatched_at", Type: Timestamp, Required: true, Header: "派单时间"},
	{Name: "department", Type: Text, Required: true, Header: "承办单位"},
	{Name: "county", Type: Text, Header: "所属区县"},
	{Name: "town", Type: Text, Header: "所属乡镇街道"},
	{Name: "link_category", Type: Text, Header: "联动类别"},
	{Name: "tag", Type: Text, Header: "事项标签"},
	{Name: "priority", Type: Enum, Header: "紧急程度", Values: domain.Names(domain.Priorities)},
	{Name: "area_type", Type: Enum, Header: "区域类型", Values: domain.Names(domain.AreaTypes)},
	{Name: "onsite_required", Type: Bool, Header: "是否需到场"},
	{Name: "difficulty", Type: Enum, Header: "难易程度", Values: domain.Names(domain.Difficulties)},
	{Name: "signed_at", Type: Timestamp, Header: "签收时间"},
	{Name: "arrived_at", Type: Timestamp, Header: "到场时间"},
	{Name: "feedback_at", Type: Timestamp, Header: "反馈时间"},
	{Name: "closed_at", Type: Timestamp, Header: "办结时间"},
	{Name: "status", Type: Enum, Header: "工单状态", Values: domain.Names(domain.Statuses)},
	{Name: "returned_at", Type: Timestamp, Header: "退回时间"},
	{Name: "return_reason", Type: Text, Header: "退回原因"},
	{Name: "outcome", Type: Enum, Header: "化解结果", Values: domain.Names(domain.Outcomes)},
	{Name: "onsite_resolved", Type: Bool, Header: "是否现场处结"},
	{Name: "revisited_at", Type: Timestamp, Header: "回访时间"},
	{Name: "satisfaction", Type: Enum, Header: "回访结果", Values: domain.Names(domain.Satisfactions)},
}

// Fields returns the fields of a kind.
func Fields(k Kind) []Field {
	if k == Calls {
		return CallFields
	}
	return OrderFields
}

// known reports whether name is a canonical field of either kind.
func known(name string) bool {
	for _, fs := range [][]Field{CallFields, OrderFields} {
		for _, f := range fs {
			if f.Name == name {
				return true
			}
		}
	}
	return false
}
