"""Demo people: the paper mill's workshops (as production departments) and one user per role."""

from dataclasses import dataclass

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from gendan.accounts.models import Department, Role, User
from gendan.demo.registry import DemoContext, Login, demo_step

#: Production departments the product lines belong to (code, Chinese name, English name).
WORKSHOPS: tuple[tuple[str, str, str], ...] = (
    ("pm1", "一号纸机车间（箱板瓦楞）", "PM1 workshop (containerboard)"),
    ("pm2", "二号纸机车间（白板白卡）", "PM2 workshop (coated board)"),
    ("pm3", "三号纸机车间（文化用纸）", "PM3 workshop (printing paper)"),
    ("tissue", "生活用纸车间", "Tissue workshop"),
)
WORKSHOP_CODES = tuple(code for code, _name, _name_en in WORKSHOPS)


@dataclass(frozen=True)
class Person:
    key: str
    username: str
    name: str
    role: Role
    departments: tuple[str, ...]


PEOPLE: tuple[Person, ...] = (
    Person("clerk1", "wangfang", "王芳", Role.CLERK, ("sales",)),
    Person("clerk2", "lijing", "李静", Role.CLERK, ("sales",)),
    Person("clerk3", "zhangwei", "张伟", Role.CLERK, ("sales",)),
    Person("sales_head", "liuyang", "刘洋", Role.HEAD, ("sales",)),
    Person("technical", "chenjie", "陈杰", Role.REVIEWER, ("technical",)),
    Person("production", "yangfan", "杨帆", Role.REVIEWER, ("production",)),
    Person("quality", "zhaomin", "赵敏", Role.REVIEWER, ("quality",)),
    Person("procurement", "huanglei", "黄磊", Role.REVIEWER, ("procurement",)),
    Person("finance", "zhouli", "周丽", Role.REVIEWER, ("finance",)),
    Person("logistics", "wuqiang", "吴强", Role.REVIEWER, ("logistics",)),
    Person(
        "production_head",
        "sunhao",
        "孙浩",
        Role.HEAD,
        ("production", *WORKSHOP_CODES),
    ),
    Person("quality_head", "majun", "马骏", Role.HEAD, ("quality",)),
    Person("legal", "hulin", "胡琳", Role.REVIEWER, ("legal",)),
    Person("gm", "zhengguo", "郑国", Role.GENERAL_MANAGER, ("management",)),
    Person("admin", "admin", "系统管理员", Role.ADMIN, ("management",)),
    Person("auditor", "shenhui", "沈慧", Role.AUDITOR, ()),
)
DEMO_USERNAMES = tuple(person.username for person in PEOPLE)
EMAIL_DOMAIN = "papermill.example"


#: Every demo account's password (printed with the logins).
DEMO_PASSWORD = "gendan-demo"


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few rounds, for the demo accounts only, while the demo builds.

    Their password is printed for everyone, so slow hashing protects nothing; but demo steps
    check it (signing minutes asks for the password) hundreds of times. The hash stays a
    standard `pbkdf2_sha256` one, and Django re-hashes it with full strength at the first
    sign-in (the stored round count differs from the configured one).
    """

    iterations = 1_000


def _department_label(codes: tuple[str, ...]) -> str:
    if not codes:
        return "—"
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(names.get(code, code) for code in codes[:2]) + ("…" if len(codes) > 2 else "")


def login_for(person: Person) -> Login:
    return Login(
        username=person.username,
        name=person.name,
        role=str(person.role.label),
        departments=_department_label(person.departments),
        password=DEMO_PASSWORD,
    )


def existing_logins() -> list[Login]:
    """The demo accounts present in the database (for printing the table again)."""
    present = set(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
    )
    return [login_for(person) for person in PEOPLE if person.username in present]


@demo_step(order=10)
def create_people(ctx: DemoContext) -> None:
    for code, name, name_en in WORKSHOPS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
    password = make_password(DEMO_PASSWORD)
    departments = {d.code: d for d in Department.objects.all()}
    for index, person in enumerate(PEOPLE, start=1):
        user = User.objects.create(
            username=person.username,
            first_name=person.name,
            email=f"{person.username}@{EMAIL_DOMAIN}",
            role=person.role,
            phone=f"0571-8688{index:04d}",
            password=password,
            is_staff=person.role == Role.ADMIN,
            is_superuser=person.role == Role.ADMIN,
        )
        user.departments.set([departments[code] for code in person.departments])
        ctx.users[person.key] = user
        ctx.logins.append(login_for(person))
