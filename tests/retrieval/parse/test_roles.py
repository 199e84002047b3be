"""One role per speaker: the fullest the article gives."""
from __future__ import annotations

from .helpers import transcript


# ---------------------------------------------------------------- roles: the fullest the article gives


def test_roles_from_the_interviewee_list():
    doc = transcript("1998-03-10_p03_npc-five-farm-deputies-press-conference_fromjson.txt")
    assert doc.speakers["张俊先"] == "吉林省农安县县委书记"
    assert doc.speakers["何琼英"] == "四川省邛崃市市委书记、市人大常委会主任"  # a role holding a 、
    six = transcript("1998-03-08_p05_cppcc-six-members-press-conference_fromjson.txt")
    assert six.speakers["胡德平"] == "全国工商联副主席"
    assert six.speakers["董辅礽"] == "中国社科院经济研究所研究员"


def test_fullest_role_keeps_membership_and_drops_a_glued_headline():
    hk = transcript("1998-03-11_p03_hk-cppcc-members-press-conference_fromjson.txt")
    assert hk.speakers["梁钦荣"] == "香港维达企业有限公司董事长、委员"
    wu = transcript("1996-03-10_p03_wu-yi-ip-press-conference_fromjson.txt")
    assert wu.speakers["吴仪"] == "对外贸易经济合作部部长"  # not "保护知识产权推进对外经贸发展对外贸易…"
    shanxi = transcript("2003-11-06_p08_shanxi-governor-interview_fromjson.txt")
    assert shanxi.speakers["刘振华"] == "山西省省长"  # the title's fuller role beats the body's 省长
    farmer = transcript("1998-03-11_p04_premier-farmer-deputy-dialogue_fromjson.txt")
    assert farmer.speakers["王广平"] == "农民代表"  # "当农民代表王广平…时": 当 is not part of the role
