"""Standard sales contract templates (Chinese and English) holding the required clauses."""

from django.db import migrations

LINES = (
    "{% for l in lines %}{{ forloop.counter }}. {{ l.product.name }}"
    "{% if l.grammage %} {{ l.grammage }}g/m²{% endif %}{% if l.width_mm %} {{ l.width_mm }}mm{% endif %}"
    "{% if l.specification %} {{ l.specification }}{% endif %}\n{% endfor %}"
)

ZH = [
    ("product", "产品名称", "{% for l in lines %}{{ forloop.counter }}. {{ l.product.name }}\n{% endfor %}"),
    ("specification", "规格型号", LINES),
    ("quantity", "数量", "{% for l in lines %}{{ forloop.counter }}. {{ l.quantity }} {{ l.get_unit_display }}，数量允许偏差 ±{{ l.tolerance_pct }}%\n{% endfor %}"),
    ("price", "价格", "{% for l in lines %}{{ forloop.counter }}. 单价 人民币 {{ l.unit_price }} 元\n{% endfor %}合同总金额：人民币 {{ total }} 元（含增值税）。"),
    ("delivery", "交货时间和地点", "交货时间：{{ delivery_date|date:'Y年n月j日' }} 前。\n交货地点：{{ order.delivery_place }}。"),
    ("payment", "付款方式", "{{ order.payment_terms }}"),
    ("quality", "质量标准", "按国家标准及行业标准执行（定量偏差按 GB/T 451.2）。{% if order.quality_requirements %}\n双方约定：{{ order.quality_requirements }}{% endif %}\n需方应于收货后 7 日内验收，逾期未提出书面异议视为验收合格。"),
    ("liability", "违约责任", "供方逾期交货的，每逾期一日按逾期部分货款的 0.05% 支付违约金；需方逾期付款的，每逾期一日按逾期金额的 0.05% 支付违约金。因不可抗力不能履行的，受影响方应及时通知对方并提供证明。"),
    ("other", "争议解决", "因本合同发生的争议，双方协商解决；协商不成的，提交供方所在地人民法院诉讼解决。"),
]

EN = [
    ("product", "Product", "{% for l in lines %}{{ forloop.counter }}. {{ l.product.name }}\n{% endfor %}"),
    ("specification", "Specification", LINES),
    ("quantity", "Quantity", "{% for l in lines %}{{ forloop.counter }}. {{ l.quantity }} {{ l.get_unit_display }}, tolerance ±{{ l.tolerance_pct }}%\n{% endfor %}"),
    ("price", "Price", "{% for l in lines %}{{ forloop.counter }}. Unit price CNY {{ l.unit_price }}\n{% endfor %}Contract total: CNY {{ total }} (VAT included)."),
    ("delivery", "Delivery time and place", "Delivery by {{ delivery_date|date:'Y-m-d' }} to {{ order.delivery_place }}."),
    ("payment", "Payment", "{{ order.payment_terms }}"),
    ("quality", "Quality standard", "National and industry standards apply (grammage tolerance per GB/T 451.2).{% if order.quality_requirements %}\nAgreed requirements: {{ order.quality_requirements }}{% endif %}\nThe buyer inspects the goods within 7 days of receipt; without a written objection by then they are accepted."),
    ("liability", "Liability for breach", "For late delivery the seller pays 0.05% of the late goods' value per day; for late payment the buyer pays 0.05% of the overdue amount per day. A party prevented by force majeure notifies the other at once and provides evidence."),
    ("other", "Disputes", "Disputes are settled by negotiation, failing which by the people's court where the seller is located."),
]


def seed(apps, schema_editor):
    ContractTemplate = apps.get_model("contracts", "ContractTemplate")
    TemplateClause = apps.get_model("contracts", "TemplateClause")
    for name, language, title, preamble, clauses in [
        ("标准购销合同", "zh-hans", "产品购销合同", "供方与需方根据《中华人民共和国民法典》，经协商一致，订立本合同。", ZH),
        ("Standard sales contract", "en", "Sales contract", "The seller and the buyer agree as follows under the Civil Code of the People's Republic of China.", EN),
    ]:
        if ContractTemplate.objects.filter(name=name).exists():
            continue
        template = ContractTemplate.objects.create(
            name=name, language=language, title=title, preamble=preamble, is_default=True
        )
        for position, (code, clause_title, body) in enumerate(clauses, start=1):
            TemplateClause.objects.create(
                template=template, position=position, code=code, title=clause_title, body=body
            )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
